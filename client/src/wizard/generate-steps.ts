/**
 * The questions of "Generate TLS certs" as a step machine: which steps apply to the answers so
 * far, their numbering, going back, and each answer checked by the server's own option
 * validation before the next step. Pure: no `vscode` import, so it is unit-tested as is; the
 * VS Code runner (generate-ui.ts) only renders the current step.
 *
 * Order: what the set is for (system, mode), where it goes (folder, and at once what to do with
 * files already there), what it says (names, client user), how it is made (key type, CSRs), how
 * long it lasts (CA, then leaf validity, together because the leaf must not outlive its CA).
 */
import * as path from 'node:path';
import {
  SERVER_COMMANDS,
  type CommandParams,
  type CommandResult,
  type ServerCommand,
  type CertMode,
  DefaultsResult,
  GenerateOptions,
  KeyType,
  LayoutChoice,
  LayoutId,
  OptionField,
  ValidateGenerateParams,
  ValidateGenerateResult,
} from '../../../server/src/protocol';

/** Runs a server command (the client's `exec`, or the command table in tests). */
export type Exec = <C extends ServerCommand>(command: C, arg: CommandParams<C>) => Promise<CommandResult<C>>;

/** The wizard's questions to the server: the generator's validation and the plan of the folder. */
export function serverDeps(exec: Exec, base: string): WizardDeps {
  return {
    validate: (p) => exec(SERVER_COMMANDS.validateGenerate, p),
    inspectFolder: async (out, options) => {
      const plan = await exec(SERVER_COMMANDS.plan, { out, options, reuseCa: false });
      return {
        out,
        existing: plan.files.filter((f) => f.exists).map((f) => path.basename(f.path)),
        caExists: !!plan.caExists,
        caFiles: plan.caFiles ?? ['ca.pem', 'ca.key'],
      };
    },
    resolveFolder: (text) => path.resolve(base, text),
  };
}

export type StepId = 'layout' | 'mode' | 'folder' | 'existing' | 'names' | 'clientName' | 'keyType' | 'csr' | 'caDays' | 'leafDays';

export interface Answers {
  layout: LayoutId;
  mode: CertMode;
  /** Absolute output folder. */
  out: string;
  reuseCa: boolean;
  overwrite: boolean;
  names: string[];
  clientCommonName?: string;
  keyType: KeyType;
  csr: boolean;
  caDays: number;
  leafDays: number;
}

/** What the folder step learns about a folder: the files of the set already there. */
export interface FolderFacts {
  out: string;
  /** File names of the set (with a new CA) that exist. */
  existing: string[];
  /** The layout's CA certificate and ca.key are both there. */
  caExists: boolean;
  /** The names of the CA files, to tell them from the leaves. */
  caFiles: string[];
}

export interface WizardDeps {
  validate(p: ValidateGenerateParams): Promise<ValidateGenerateResult>;
  inspectFolder(out: string, options: Partial<GenerateOptions>): Promise<FolderFacts>;
  /** Resolves what the user typed in the folder step (relative to the folder asked for). */
  resolveFolder(text: string): string;
}

export interface PickItem {
  label: string;
  description?: string;
  detail?: string;
  value: string;
}

export interface StepView {
  id: StepId;
  kind: 'pick' | 'input';
  title: string;
  step: number;
  totalSteps: number;
  prompt?: string;
  placeholder?: string;
  /** Input steps: the current answer, as text. */
  value?: string;
  /** Pick steps: the choices, and the value of the current answer. */
  items?: PickItem[];
  active?: string;
  canGoBack: boolean;
}

export interface Check {
  /** Blocks accepting the step. */
  error?: string;
  /** Shown, does not block. */
  note?: string;
}

const TITLE = 'Generate TLS certs';
const KEY_TYPES: PickItem[] = [
  { label: 'P-256', description: 'ECDSA, fast and widely supported (default)', value: 'P-256' },
  { label: 'P-384', description: 'ECDSA', value: 'P-384' },
  { label: 'RSA-2048', description: 'RSA, for old clients', value: 'RSA-2048' },
  { label: 'RSA-3072', description: 'RSA', value: 'RSA-3072' },
  { label: 'RSA-4096', description: 'RSA, slow to generate', value: 'RSA-4096' },
];

interface StepDef {
  id: StepId;
  kind: 'pick' | 'input';
  question: (w: GenerateWizard) => string;
  applies?: (w: GenerateWizard) => boolean;
  items?: (w: GenerateWizard) => PickItem[];
  prompt?: (w: GenerateWizard) => string | undefined;
  /** Input steps: the answer as text, and the text back as an answer (or why it is not one). */
  show?: (a: Answers, w: GenerateWizard) => string;
  parse?: (text: string, w: GenerateWizard) => Partial<Answers> | string;
  /** Which of the server's option fields this step answers. */
  fields?: OptionField[];
  pick?: (value: string, w: GenerateWizard) => Partial<Answers>;
}

const days = (text: string): number | string => (/^\s*\d+\s*$/.test(text) ? Number(text) : 'Enter a whole number of days');

/** The names as typed, comma-separated: white space inside a name stays, so the server can say it is not a name. */
export function splitNames(text: string): string[] {
  return text
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
}

const STEPS: StepDef[] = [
  {
    id: 'layout',
    kind: 'pick',
    question: () => 'which system are they for?',
    items: (w) =>
      w.layouts.map((l) => ({
        label: l.label,
        description: l.detected ? `${l.description} · found ${l.detected}` : l.description,
        value: l.id,
      })),
    pick: (v, w) => {
      const l = w.layouts.find((x) => x.id === v)!;
      // A new system moves the suggested folder along, unless the user typed one.
      return w.outTyped ? { layout: l.id } : { layout: l.id, out: l.out };
    },
  },
  {
    id: 'mode',
    kind: 'pick',
    question: () => 'what for?',
    items: (w) =>
      w.answers.layout === 'postgres'
        ? [
            { label: 'Mutual TLS', description: 'root.crt + server + client certificate (cert authentication)', value: 'mutual' },
            { label: 'One-way TLS', description: 'root.crt + server (sslmode=verify-full)', value: 'one-way' },
          ]
        : [
            { label: 'Mutual TLS', description: 'CA + server + client (tlsMode 2)', value: 'mutual' },
            { label: 'One-way TLS', description: 'CA + server (tlsMode 1)', value: 'one-way' },
          ],
    pick: (v) => ({ mode: v as CertMode }),
  },
  {
    id: 'folder',
    kind: 'input',
    question: () => 'output folder',
    prompt: () => 'Folder for the certificates and keys; files already there are listed in the next step before anything is replaced.',
    show: (a) => a.out,
    parse: (text, w) => (text.trim() ? { out: w.deps.resolveFolder(text.trim()) } : 'Give a folder'),
  },
  {
    id: 'existing',
    kind: 'pick',
    applies: (w) => !!w.facts && w.facts.out === w.answers.out && w.facts.existing.length > 0,
    question: (w) => `${w.facts!.existing.length === 1 ? 'a file' : 'files'} of the set already exist`,
    prompt: (w) => `In ${w.answers.out}: ${w.facts!.existing.join(', ')}`,
    items: (w) => {
      const f = w.facts!;
      const leaves = f.existing.filter((n) => !f.caFiles.includes(n));
      const items: PickItem[] = [];
      if (f.caExists) {
        items.push({
          label: 'Reuse the existing CA',
          description: leaves.length
            ? `sign new leaves with it; replaces ${leaves.join(', ')}`
            : 'sign the new leaves with it; clients keep trusting it',
          value: 'reuse',
        });
        items.push({
          label: 'Create a new CA',
          description: `replaces ${f.existing.join(', ')}; clients must then trust the new CA`,
          value: 'replace',
        });
      } else {
        items.push({ label: 'Overwrite', description: `replaces ${f.existing.join(', ')}; the old keys are lost`, value: 'replace' });
      }
      items.push({ label: 'Choose another folder', description: 'back to the folder step; nothing is replaced', value: 'another' });
      return items;
    },
    pick: (v, w) => {
      const f = w.facts!;
      if (v === 'reuse') return { reuseCa: true, overwrite: f.existing.some((n) => !f.caFiles.includes(n)) };
      return { reuseCa: false, overwrite: true };
    },
  },
  {
    id: 'names',
    kind: 'input',
    question: () => 'server names (DNS names and IPs clients dial)',
    prompt: () => 'Comma-separated, for example: localhost, 127.0.0.1, milvus.example.com',
    show: (a) => a.names.join(', '),
    parse: (text) => ({ names: splitNames(text) }),
    fields: ['names'],
  },
  {
    id: 'clientName',
    kind: 'input',
    applies: (w) => w.answers.mode === 'mutual' && !!w.layout?.clientNameIsUser,
    question: () => 'database user of the client certificate',
    prompt: () => "The client certificate's Common Name: with cert authentication it is the database user the client logs in as.",
    show: (a, w) => a.clientCommonName ?? w.layout?.dbUser ?? '',
    parse: (text) => ({ clientCommonName: text.trim() }),
    fields: ['clientCommonName'],
  },
  {
    id: 'keyType',
    kind: 'pick',
    question: () => 'key type',
    items: () => KEY_TYPES,
    pick: (v) => ({ keyType: v as KeyType }),
  },
  {
    id: 'csr',
    kind: 'pick',
    question: () => 'certificate signing requests',
    items: () => [
      { label: 'No CSRs', description: 'certificates and keys only (default)', value: 'no' },
      { label: 'Also write CSRs', description: 'server.csr (and client.csr) for signing elsewhere', value: 'yes' },
    ],
    pick: (v) => ({ csr: v === 'yes' }),
  },
  {
    id: 'caDays',
    kind: 'input',
    applies: (w) => !w.answers.reuseCa,
    question: () => 'CA validity in days',
    prompt: () => 'How long the new CA signs; the server and client certificates must not outlive it.',
    show: (a) => String(a.caDays),
    parse: (text) => {
      const d = days(text);
      return typeof d === 'string' ? d : { caDays: d };
    },
    fields: ['caDays'],
  },
  {
    id: 'leafDays',
    kind: 'input',
    question: (w) => `${w.answers.mode === 'mutual' ? 'server/client' : 'server'} certificate validity in days`,
    prompt: () => '825 days is the longest Apple platforms accept for a server certificate.',
    show: (a) => String(a.leafDays),
    parse: (text) => {
      const d = days(text);
      return typeof d === 'string' ? d : { leafDays: d };
    },
    fields: ['leafDays'],
  },
];

export class GenerateWizard {
  answers: Answers;
  facts?: FolderFacts;
  /** The user typed the output folder: choosing another system no longer moves it. */
  outTyped = false;
  readonly layouts: LayoutChoice[];
  private readonly history: StepId[] = [];
  private readonly skipped = new Set<StepId>();
  private at: StepId | undefined;

  constructor(
    defaults: DefaultsResult,
    readonly deps: WizardDeps,
  ) {
    this.layouts = defaults.layouts?.length
      ? defaults.layouts
      : [{ id: 'milvus', label: 'Milvus', description: '', port: 19530, out: defaults.out, composePath: defaults.composePath }];
    const layout = this.layouts.find((l) => l.id === defaults.layout) ?? this.layouts[0];
    const o = defaults.options;
    this.answers = {
      layout: layout.id,
      mode: o.mode,
      out: layout.out,
      reuseCa: false,
      overwrite: false,
      names: defaults.names.length ? [...defaults.names] : [...o.names],
      keyType: o.keyType,
      csr: o.csr,
      caDays: o.caDays,
      leafDays: o.leafDays,
    };
    // One system only: nothing to ask.
    if (this.layouts.length <= 1) this.skipped.add('layout');
    this.at = this.applicable()[0]?.id;
  }

  get layout(): LayoutChoice | undefined {
    return this.layouts.find((l) => l.id === this.answers.layout);
  }

  get done(): boolean {
    return this.at === undefined;
  }

  private applicable(): StepDef[] {
    return STEPS.filter((s) => !this.skipped.has(s.id) && (!s.applies || s.applies(this)));
  }

  private def(id: StepId): StepDef {
    return STEPS.find((s) => s.id === id)!;
  }

  /** The current step as the UI shows it; undefined when every answer is in. */
  view(): StepView | undefined {
    if (!this.at) return undefined;
    const s = this.def(this.at);
    const steps = this.applicable();
    const view: StepView = {
      id: s.id,
      kind: s.kind,
      title: `${TITLE}: ${s.question(this)}`,
      step: steps.findIndex((x) => x.id === s.id) + 1,
      totalSteps: steps.length,
      canGoBack: this.history.length > 0,
    };
    const prompt = s.prompt?.(this);
    if (prompt) view.prompt = prompt;
    if (s.kind === 'input') view.value = s.show!(this.answers, this);
    else {
      view.items = s.items!(this);
      view.active = this.currentPick(s.id);
    }
    return view;
  }

  /** The title with its numbering, as VS Code renders a QuickInput with step/totalSteps (microsoft/vscode, src/vs/platform/quickinput/browser/quickInput.ts, getTitle). */
  label(): string | undefined {
    const v = this.view();
    return v && `${v.title} (${v.step}/${v.totalSteps})`;
  }

  private currentPick(id: StepId): string | undefined {
    const a = this.answers;
    switch (id) {
      case 'layout':
        return a.layout;
      case 'mode':
        return a.mode;
      case 'keyType':
        return a.keyType;
      case 'csr':
        return a.csr ? 'yes' : 'no';
      case 'existing':
        return a.reuseCa ? 'reuse' : a.overwrite ? 'replace' : undefined;
      default:
        return undefined;
    }
  }

  /** The options the answers so far ask the generator for. */
  options(a: Answers = this.answers): Partial<GenerateOptions> {
    const layout = a.layout === 'milvus' ? undefined : a.layout;
    return {
      mode: a.mode,
      names: a.names,
      keyType: a.keyType,
      leafDays: a.leafDays,
      caDays: a.caDays,
      csr: a.csr,
      ...(layout ? { layout } : {}),
      ...(a.mode === 'mutual' && this.layout?.clientNameIsUser && (a.clientCommonName ?? this.layout.dbUser) !== undefined
        ? { clientCommonName: a.clientCommonName ?? this.layout.dbUser }
        : {}),
    };
  }

  /** What typing `text` into the current input step would give: the server's verdict on its field(s). */
  async check(text: string): Promise<Check> {
    if (!this.at) return {};
    const s = this.def(this.at);
    if (s.kind !== 'input') return {};
    const parsed = s.parse!(text, this);
    if (typeof parsed === 'string') return { error: parsed };
    if (!s.fields) return {};
    const a = { ...this.answers, ...parsed };
    const r = await this.deps.validate({ options: this.options(a), out: a.out, reuseCa: a.reuseCa });
    const mine = (xs: { field: OptionField; message: string }[]) =>
      xs
        .filter((x) => s.fields!.includes(x.field))
        .map((x) => x.message)
        .join('; ');
    return { ...(mine(r.errors) ? { error: mine(r.errors) } : {}), ...(mine(r.notes) ? { note: mine(r.notes) } : {}) };
  }

  /**
   * Answers the current step (the text of an input, the value of a picked item). On an invalid
   * answer the step stays and the error says why; otherwise the next applicable step is current.
   */
  async accept(value: string): Promise<Check> {
    if (!this.at) return {};
    const s = this.def(this.at);
    if (s.kind === 'input') {
      const c = await this.check(value);
      if (c.error) return c;
      const parsed = s.parse!(value, this) as Partial<Answers>;
      if (s.id === 'folder' && parsed.out !== this.answers.out) this.outTyped = true;
      Object.assign(this.answers, parsed);
      if (s.id === 'folder') {
        // Decided at this step, from what is in the folder: a new folder starts with neither.
        this.facts = await this.deps.inspectFolder(this.answers.out, this.options());
        this.answers.reuseCa = false;
        this.answers.overwrite = false;
      }
    } else {
      const items = s.items!(this);
      if (!items.some((i) => i.value === value)) return { error: `"${value}" is not one of the choices` };
      if (s.id === 'existing' && value === 'another') {
        this.back();
        return {};
      }
      Object.assign(this.answers, s.pick!(value, this));
      if (s.id === 'layout' && this.facts && this.facts.out !== this.answers.out) this.facts = undefined;
    }
    this.history.push(s.id);
    this.at = this.next(s.id);
    return {};
  }

  private next(from: StepId): StepId | undefined {
    const order = STEPS.map((s) => s.id);
    const steps = this.applicable().map((s) => s.id);
    return order.slice(order.indexOf(from) + 1).find((id) => steps.includes(id));
  }

  /** Back to the previous step answered; false at the first step. */
  back(): boolean {
    const prev = this.history.pop();
    if (!prev) return false;
    this.at = prev;
    return true;
  }
}
