/** A minimal JSON-RPC client for end-to-end tests to read the host's state beside the UI. */
import WebSocket from 'ws';

export async function rpc<T = unknown>(port: number, token: string, method: string, params: unknown = {}): Promise<T> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc?token=${token}`);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  try {
    return await new Promise<T>((resolve, reject) => {
      ws.on('message', (raw) => {
        const message = JSON.parse(raw.toString()) as { id?: number; result?: T; error?: { message: string } };
        if (message.id !== 1) return;
        if (message.error) reject(new Error(message.error.message));
        else resolve(message.result as T);
      });
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }));
    });
  } finally {
    ws.close();
  }
}
