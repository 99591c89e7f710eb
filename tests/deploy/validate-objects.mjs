// Validates Kubernetes objects (a JSON array on stdin) against the API schemas bundled in
// kubernetes-models, which is ESM-only (so Jest's CommonJS tests run it as a child process).
// Prints a JSON array: for each object, null when valid or the validation error's message.
import * as appsV1 from 'kubernetes-models/apps/v1';
import * as batchV1 from 'kubernetes-models/batch/v1';
import * as coreV1 from 'kubernetes-models/v1';
import * as policyV1 from 'kubernetes-models/policy/v1';

const MODELS = { 'apps/v1': appsV1, 'batch/v1': batchV1, 'policy/v1': policyV1, v1: coreV1 };

let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = JSON.parse(input).map((object) => {
  const Model = MODELS[object.apiVersion]?.[object.kind];
  if (!Model) return `no schema for ${object.apiVersion}/${object.kind}`;
  try {
    new Model(object).validate();
    return null;
  } catch (error) {
    return String(error.message ?? error);
  }
});
process.stdout.write(JSON.stringify(results));
