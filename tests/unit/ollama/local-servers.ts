/**
 * Tiny loopback servers for the cases the fake Ollama does not model (a proxy's HTML page, a plain-text
 * 404, a socket that never answers, a closed port). Only 127.0.0.1.
 */
import http from 'node:http';
import net from 'node:net';

export interface LocalServer {
  url: string;
  port: number;
  /** Requests whose connection closed before the reply was complete. */
  hungUp: string[];
  close(): Promise<void>;
}

export async function httpServer(handler: http.RequestListener): Promise<LocalServer> {
  const hungUp: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    res.on('close', () => {
      if (!res.writableFinished) hungUp.push(`${req.method} ${req.url}`);
    });
    handler(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hungUp,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      })
  };
}

/** Accepts connections and never writes a byte. */
export async function silentServer(): Promise<LocalServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    hungUp: [],
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      })
  };
}

export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (text += c));
    req.on('end', () => resolve(text));
  });
}
