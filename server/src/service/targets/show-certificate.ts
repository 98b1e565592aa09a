/** The "Show certificate" command link of the hovers: a markdown link any client that runs `command:` links follows. */
import { SERVER_COMMANDS, type ShowCertificateParams } from '../../protocol';

export function showCertificateLink(args: ShowCertificateParams, title = 'Show certificate'): string {
  return `[${title}](command:${SERVER_COMMANDS.showCertificate}?${encodeURIComponent(JSON.stringify([args]))})`;
}
