/** Whether pasted text is PEM: a BEGIN armour line near the start (what the language's firstLine rule sees in a file). */

/** PEM text usually starts the document; a few lines of notes or an openssl dump before it still count. */
const HEAD_CHARS = 64 * 1024;
const BEGIN = /^[ \t]*-----BEGIN [A-Z0-9 ]+-----[ \t]*\r?$/m;

export function looksLikePem(text: string): boolean {
  return BEGIN.test(text.slice(0, HEAD_CHARS));
}

/** Which language ids an untitled document may be switched from: the default, or nothing chosen yet. */
export function switchable(languageId: string): boolean {
  return languageId === 'plaintext';
}
