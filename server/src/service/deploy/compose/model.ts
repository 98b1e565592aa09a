/** The parsed shape of a compose file's services and volumes, with exact ranges for findings. */
import type { Range } from 'vscode-languageserver-types';
import type { InterpolationProblemKind } from './interpolate';

export interface ComposeProblem {
  range: Range;
  message: string;
  /** A `compose-…` diagnostic code when the problem maps onto one. */
  code?: string;
  kind?: InterpolationProblemKind | 'volume-invalid' | 'volume-undeclared';
  variable?: string;
}

export interface VolumeMount {
  syntax: 'short' | 'long';
  type: 'bind' | 'volume' | 'tmpfs' | 'other';
  /** The entry as written (short syntax), or the long syntax's `source` as written. */
  raw: string;
  /** The whole entry. */
  range: Range;
  sourceRange?: Range;
  targetRange?: Range;
  /** Interpolated source as written (relative paths stay relative). */
  source?: string;
  /** Absolute host path of a bind, resolved against the compose file's folder, `~` expanded. */
  hostPath?: string;
  /** Container path, normalised posix. */
  target: string;
  readOnly: boolean;
  /** Short syntax modes (`ro`, `z`, …) as written. */
  modes: string[];
  /** Whether Docker creates a missing host path (short syntax always; long syntax `bind.create_host_path`). */
  createHostPath: boolean;
  /** Range of the read-only marker (`:ro` mode or `read_only:` pair), when present. */
  modeRange?: Range;
  /** Name of the service that declares the mount. */
  service: string;
  /** Interpolation problems and parse problems, on their exact ranges. */
  problems: ComposeProblem[];
}

/** One variable of a service's `environment:` (map or list form), interpolated. */
export interface EnvironmentEntry {
  name: string;
  /** Undefined for a bare `KEY` (compose takes it from the shell that runs docker compose). */
  value?: string;
  /** The whole entry (`KEY: value` pair or `- KEY=value` item). */
  range: Range;
  valueRange?: Range;
}

/** One `env_file:` entry (string, or long syntax `path:` / `required:`). */
export interface EnvFileEntry {
  /** As written, interpolated. */
  path: string;
  /** Absolute host path, against the compose file's folder. */
  hostPath: string;
  range: Range;
  /** compose >= 2.24: `required: false` tolerates a missing file. */
  required: boolean;
}

export interface ComposeService {
  name: string;
  nameRange: Range;
  image?: string;
  imageRange?: Range;
  volumes: VolumeMount[];
  volumesRange?: Range;
  /** `environment:` in the order written. */
  environment?: EnvironmentEntry[];
  environmentRange?: Range;
  /** `env_file:` in the order written (later files win, `environment:` wins over all). */
  envFiles?: EnvFileEntry[];
}

export interface ComposeModel {
  services: ComposeService[];
  yamlErrors: { range: Range; message: string }[];
  /** Names under the top-level `volumes:`. */
  namedVolumes: string[];
  /** Every interpolation problem anywhere in the file (compose interpolates every value). */
  interpolationProblems: ComposeProblem[];
  /** Structural problems that are not tied to one mount (e.g. a volume entry that is a number). */
  problems: ComposeProblem[];
  /** The compose file path the model was parsed for. */
  composePath: string;
}
