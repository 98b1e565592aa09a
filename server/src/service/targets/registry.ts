/** Every target, in the order a document is offered to them: the first that recognises it owns it. */
import type { Target } from './target';
import { pemTarget } from './pem';
import { composeTarget } from './compose';
import { milvusTarget } from './milvus';
import { nginxTarget } from './nginx';
import { apisixTarget } from './apisix';
import { postgresTarget } from './postgres';
import { certSetTarget } from './cert-set';
import { milvusClientTarget } from './milvus-client';
import { k8sTarget } from './k8s';

export const TARGETS: readonly Target<any>[] = [
  pemTarget,
  composeTarget,
  k8sTarget,
  milvusTarget,
  nginxTarget,
  apisixTarget,
  postgresTarget,
  milvusClientTarget,
  certSetTarget,
];
