/**
 * Checks the backend's answers against the contract in shared-schemas/, with the validators
 * precompiled from it (validators.js; MV3 forbids compiling them here). A mismatch becomes a
 * BackendError whose message says, in words, which call answered what: never a TypeError deep in
 * a handler. Answers may hold fields this version does not know (the backend may add fields
 * within v1); only missing or wrongly typed fields are mismatches.
 */
import { BackendError } from './backend.js';
import * as validators from './validators.js';

export const SHAPE = Object.freeze({
  HEALTH: 'healthResponse',
  WHOAMI: 'whoamiResponse',
  CONNECTION_TEST: 'connectionTestResponse',
  LOOKUP: 'lookupResponse',
  PRINT: 'printResponse',
  BATCH: 'batchResponse',
  WORKSTATION: 'workstationResponse',
  PRINTERS: 'printersResponse',
  RATES: 'ratesResponse',
  VOID: 'voidResponse',
  RETURN: 'returnResponse',
  MANIFEST_PREVIEW: 'manifestPreviewResponse',
  MANIFESTS: 'manifestsResponse',
});

const CALLED = Object.freeze({
  [SHAPE.HEALTH]: 'the health check',
  [SHAPE.WHOAMI]: 'the token check',
  [SHAPE.CONNECTION_TEST]: 'the connection test',
  [SHAPE.LOOKUP]: 'looking the order up',
  [SHAPE.PRINT]: 'printing the label',
  [SHAPE.BATCH]: 'printing the batch',
  [SHAPE.WORKSTATION]: 'the workstation preferences',
  [SHAPE.PRINTERS]: 'the list of printers',
  [SHAPE.RATES]: 'the services for the order',
  [SHAPE.VOID]: 'voiding the label',
  [SHAPE.RETURN]: 'printing the return label',
  [SHAPE.MANIFEST_PREVIEW]: "counting today's shipments",
  [SHAPE.MANIFESTS]: 'closing the day',
});

const SHOWN_PROBLEMS = 3;

/** `/label/content_base64` → `label.content_base64`; the whole answer → `the answer`. */
function fieldName(instancePath) {
  return instancePath ? instancePath.slice(1).replaceAll('/', '.') : 'the answer';
}

/** Ajv's errors as short phrases: "label must have required property 'url'". */
export function describeProblems(errors) {
  const phrases = [...new Set((errors ?? []).map((error) => `${fieldName(error.instancePath)} ${error.message}`))];
  const shown = phrases.slice(0, SHOWN_PROBLEMS).join('; ');
  return phrases.length > SHOWN_PROBLEMS ? `${shown}; and ${phrases.length - SHOWN_PROBLEMS} more` : shown;
}

/** The body when it has the shape `shape` names; otherwise throws a BackendError in words. */
export function expectShape(shape, body) {
  const validate = validators[shape];
  if (typeof validate !== 'function') throw new Error(`No validator for ${shape}`);
  if (validate(body)) return body;
  throw new BackendError({
    code: 'unexpected_response',
    message:
      `The labelbridge backend's answer to ${CALLED[shape] ?? shape} is not in the form this extension expects ` +
      `(${describeProblems(validate.errors)}). The backend and the extension may be different versions: update the older one.`,
  });
}
