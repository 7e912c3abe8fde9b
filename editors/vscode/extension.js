// initlint for VS Code: starts `initlint server` for Python, JSON and YAML files.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('initlint').get('path', 'initlint');
  client = new LanguageClient('initlint', 'initlint', { command, args: ['server'] }, {
    documentSelector: ['python', 'json', 'yaml'].map((language) => ({ scheme: 'file', language })),
    // The `initlint.*` settings reach the server (workspace/configuration), changes included.
    synchronize: { configurationSection: 'initlint' },
  });
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
