import { k8sWiringEdits } from './server/src/service/certgen/k8s-wire';
import { k8sNames } from './server/src/service/certgen/k8s';
import { TextDocument } from 'vscode-languageserver-textdocument';
const cr = `# Milvus with TLS, written for the test
apiVersion: milvus.io/v1beta1
kind: Milvus
metadata:
  name: my-release   # the release
  namespace: vectors
spec:
  mode: standalone
  config:
    proxy:
      http:
        port: 8080   # REST on its own port
    common:
      security:
        tlsMode: 1
  components:
    image: milvusdb/milvus:v2.6.15
    volumes:
      - name: scratch
        emptyDir: {}
    volumeMounts:
      - name: scratch
        mountPath: /scratch
  dependencies: {}
`;
const values = `# values for my Milvus
cluster:
  enabled: false   # standalone

volumes: []
volumeMounts: []
extraConfigFiles:
  user.yaml: |+
    # For example
    proxy:
      http:
        enabled: true
    #  tls:

image:
  all:
    tag: v2.6.15
`;
const minimal = `apiVersion: milvus.io/v1beta1
kind: Milvus
metadata:
  name: m
spec: {}
`;
const noecf = `cluster:
  enabled: true
proxy:
  replicas: 2
`;
function run(t: string, flavor: 'operator'|'helm', mode: 'mutual'|'one-way' = 'mutual') {
  const r = k8sWiringEdits(t, { flavor, prefix: [] }, k8sNames({}), mode);
  const out = TextDocument.applyEdits(TextDocument.create('file:///x', 'yaml', 1, t), r.edits);
  console.log('-----'); console.log(out); console.log(r.changes);
  const r2 = k8sWiringEdits(out, { flavor, prefix: [] }, k8sNames({}), mode);
  console.log('second run edits', r2.edits.length, r2.changes);
}
run(cr, 'operator'); run(values, 'helm'); run(minimal, 'operator', 'one-way'); run(noecf, 'helm'); run('', 'helm');
