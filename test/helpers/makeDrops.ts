/**
 * Real drops for capture tests, made on loopback only: UDP datagrams to a port nothing listens
 * on give NO_SOCKET (one drop each). Bounded by `count`.
 */
import { createSocket } from 'node:dgram';

/** Sends `count` UDP datagrams to a closed loopback port: `count` NO_SOCKET drops. */
export async function udpToClosedPort(count: number, family: 4 | 6 = 4): Promise<void> {
  const type = family === 4 ? 'udp4' : 'udp6';
  const host = family === 4 ? '127.0.0.1' : '::1';
  const probe = createSocket(type);
  await new Promise<void>((resolve) => probe.bind(0, host, resolve));
  const port = probe.address().port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  const socket = createSocket(type);
  for (let i = 0; i < count; i++) {
    await new Promise<void>((resolve, reject) =>
      socket.send('dropscope-test', port, host, (error) => (error ? reject(error) : resolve())),
    );
  }
  await new Promise<void>((resolve) => socket.close(() => resolve()));
}
