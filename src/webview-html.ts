/**
 * The HTML shell of a webview page: a strict content security policy (only our bundled script and
 * stylesheet, inline styles for the theme), the page's body, and its bundle from dist/webview/.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';

/** The folder of the bundled webview scripts, which every webview may load from. */
export function webviewRoot(extensionUri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: string, title: string, style: string, body: string, withStylesheet = false): string {
  const nonce = randomBytes(16).toString('base64');
  const root = webviewRoot(extensionUri);
  const script = webview.asWebviewUri(vscode.Uri.joinPath(root, `${page}.js`));
  const stylesheet = withStylesheet ? `<link rel="stylesheet" href="${webview.asWebviewUri(vscode.Uri.joinPath(root, `${page}.css`))}">` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource} data:; font-src ${webview.cspSource}; style-src ${webview.cspSource} 'unsafe-inline'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${title}</title>
${stylesheet}
<style>${style}</style>
</head>
<body>
${body}
<script type="module" nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
