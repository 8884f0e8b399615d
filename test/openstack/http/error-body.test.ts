import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseErrorBody } from '../../../src/openstack/http/error-body.js';

test('keystone {"error": {code, title, message}}', () => {
  assert.deepEqual(parseErrorBody('{"error": {"code": 404, "title": "Not Found", "message": "Could not find project: x."}}'), {
    message: 'Could not find project: x.',
    type: 'Not Found',
  });
});

test('nova and cinder {"<faultName>": {code, message}}', () => {
  assert.deepEqual(parseErrorBody('{"conflictingRequest": {"code": 409, "message": "Cannot \'os-migrateLive\' instance while it is in vm_state stopped"}}'), {
    message: "Cannot 'os-migrateLive' instance while it is in vm_state stopped",
    type: 'conflictingRequest',
  });
  assert.deepEqual(parseErrorBody('{"overLimit": {"code": 413, "message": "Quota exceeded", "retryAfter": "0"}}').type, 'overLimit');
});

test('NeutronError, both shapes', () => {
  assert.deepEqual(parseErrorBody('{"NeutronError": {"type": "NetworkNotFound", "message": "Network n could not be found", "detail": ""}}'), {
    message: 'Network n could not be found',
    type: 'NetworkNotFound',
  });
  assert.deepEqual(parseErrorBody('{"NeutronError": "Invalid input for operation"}'), { message: 'Invalid input for operation', type: undefined });
  assert.equal(parseErrorBody('{"NeutronError": {"type": "X", "message": "m", "detail": "more"}}').message, 'm (more)');
});

test('glance plain text and HTML webob pages', () => {
  assert.deepEqual(parseErrorBody('404 Not Found\n\nNo image found with ID abc\n\n   '), { message: 'No image found with ID abc', type: undefined });
  assert.equal(
    parseErrorBody('<html>\n <head>\n  <title>409 Conflict</title>\n </head>\n <body>\n  <h1>409 Conflict</h1>\n  Image status transition from active to saving is not allowed<br /><br />\n\n\n\n </body>\n</html>').message,
    'Image status transition from active to saving is not allowed',
  );
  assert.equal(parseErrorBody('Authentication required').message, 'Authentication required');
});

test('Nailgun bare JSON string, API-WG errors, empty and unknown bodies', () => {
  assert.deepEqual(parseErrorBody('"Cluster not found"'), { message: 'Cluster not found', type: undefined });
  assert.deepEqual(parseErrorBody('{"errors": [{"status": 409, "title": "Conflict", "detail": "resource provider in use"}]}'), {
    message: 'resource provider in use',
    type: 'Conflict',
  });
  assert.deepEqual(parseErrorBody(''), { message: '', type: undefined });
  assert.equal(parseErrorBody('{"weird": 1, "shape": 2}').message, '{"weird": 1, "shape": 2}');
  assert.equal(parseErrorBody('{"broken json').message, '{"broken json');
  assert.ok(parseErrorBody('x'.repeat(5000)).message.length <= 1000);
});
