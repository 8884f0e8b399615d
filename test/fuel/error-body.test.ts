import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFuelErrorBody } from '../../src/fuel/index.js';

test('Nailgun error bodies of every era and proxy become one message', () => {
  // Fuel 5.x/6.0: the bare message, whatever the Content-Type says.
  assert.equal(parseFuelErrorBody('Cluster not found'), 'Cluster not found');
  assert.equal(parseFuelErrorBody("Node '5': 'management' network(s) are left unassigned"), "Node '5': 'management' network(s) are left unassigned");
  // A bare message that looks like JSON but is not.
  assert.equal(parseFuelErrorBody('{broken json: here'), '{broken json: here');
  // A JSON string, 7.0+ JSON objects, the master's Keystone.
  assert.equal(parseFuelErrorBody('"Invalid ID specified"'), 'Invalid ID specified');
  assert.equal(parseFuelErrorBody('{"message": "Nodes with ids 3 were not found.", "errors": []}'), 'Nodes with ids 3 were not found.');
  assert.equal(parseFuelErrorBody('{"error": {"message": "The request you have made requires authentication.", "code": 401, "title": "Unauthorized"}}'), 'The request you have made requires authentication.');
  // nginx in front of the master.
  assert.equal(parseFuelErrorBody('<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>'), '502 Bad Gateway');
  assert.equal(parseFuelErrorBody('   '), '');
  assert.equal(parseFuelErrorBody('x'.repeat(5000)).length, 1003, 'long bodies are clipped');
  assert.equal(parseFuelErrorBody('line one\n   line two'), 'line one line two');
});
