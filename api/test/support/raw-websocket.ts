/**
 * A WebSocket client over a bare TCP socket (node:net) with hand-built frames, so a test can send what
 * no WebSocket library would: unmasked frames, reserved opcodes and bits, lengths that lie, invalid
 * UTF-8. It reads the server's frames as they come and the close code the server sends.
 */
import crypto from "node:crypto";
import net from "node:net";

export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

export interface FrameOptions {
  opcode: number;
  payload?: Buffer | string;
  /** FIN bit; default true. */
  fin?: boolean;
  /** The three reserved bits (0–7); default 0. */
  rsv?: number;
  /** Clients must mask; default true. */
  masked?: boolean;
  /** The length field as sent: "auto" picks the shortest form; 7, 16 or 64 forces one (a 64-bit length may also lie). */
  lengthForm?: "auto" | 7 | 16 | 64;
  /** A length to announce instead of the payload's own (a frame that lies about its size). */
  announcedLength?: number;
  /** The masking key; default random. */
  maskKey?: Buffer;
}

/** One WebSocket frame as bytes (RFC 6455 §5.2). */
export function frame({
  opcode,
  payload = Buffer.alloc(0),
  fin = true,
  rsv = 0,
  masked = true,
  lengthForm = "auto",
  announcedLength,
  maskKey = crypto.randomBytes(4),
}: FrameOptions): Buffer {
  const data = typeof payload === "string" ? Buffer.from(payload, "utf8") : payload;
  const length = announcedLength ?? data.length;
  const form = lengthForm === "auto" ? (length < 126 ? 7 : length < 65_536 ? 16 : 64) : lengthForm;
  const head = [((fin ? 1 : 0) << 7) | ((rsv & 0b111) << 4) | (opcode & 0x0f)];
  const maskBit = masked ? 0x80 : 0;
  let extended = Buffer.alloc(0);
  if (form === 7) head.push(maskBit | (length & 0x7f));
  else if (form === 16) {
    head.push(maskBit | 126);
    extended = Buffer.alloc(2);
    extended.writeUInt16BE(length & 0xffff);
  } else {
    head.push(maskBit | 127);
    extended = Buffer.alloc(8);
    extended.writeBigUInt64BE(BigInt(length));
  }
  const body = Buffer.from(data);
  if (masked) for (let index = 0; index < body.length; index++) body[index] ^= maskKey[index % 4];
  return Buffer.concat([Buffer.from(head), extended, masked ? maskKey : Buffer.alloc(0), body]);
}

/** A masked text frame of a graphql-ws message. */
export const textFrame = (message: unknown): Buffer => frame({ opcode: OPCODE.text, payload: JSON.stringify(message) });

export interface ServerFrame {
  opcode: number;
  payload: Buffer;
}

export interface RawWebSocket {
  socket: net.Socket;
  /** Sends bytes as they are. */
  send(bytes: Buffer): void;
  /** The next text frame from the server, parsed as JSON; rejects when the connection ends first. */
  nextMessage(): Promise<Record<string, unknown>>;
  /** The server's close code (null: the connection ended without a close frame), once the TCP connection has ended. */
  closed: Promise<{ code: number | null; reason: string }>;
  end(): void;
}

/**
 * Opens `url` (http://host:port/path) and completes the WebSocket handshake with the subprotocol
 * graphql-transport-ws. Resolves once the server answered 101; rejects on any other answer.
 */
export function openRawWebSocket(url: string): Promise<RawWebSocket> {
  const { hostname, port, pathname } = new URL(url);
  const key = crypto.randomBytes(16).toString("base64");
  const socket = net.connect({ host: hostname, port: Number(port) });
  // The server may reset the connection at any time; that ends it like a close without a code.
  socket.on("error", () => {});
  let buffer = Buffer.alloc(0);
  let upgraded = false;
  const messages: Record<string, unknown>[] = [];
  const waiting: { resolve: (message: Record<string, unknown>) => void; reject: (error: Error) => void }[] = [];
  let closeFrame: { code: number | null; reason: string } | null = null;
  const closed = new Promise<{ code: number | null; reason: string }>((resolve) =>
    socket.once("close", () => {
      const { code, reason } = closeFrame ?? { code: null, reason: "" };
      for (const { reject } of waiting.splice(0)) reject(new Error(`The connection closed (${code} ${reason}) before a message came.`));
      resolve({ code, reason });
    }),
  );

  return new Promise((resolve, reject) => {
    const readFrames = () => {
      for (;;) {
        if (buffer.length < 2) return;
        const opcode = buffer[0] & 0x0f;
        let length = buffer[1] & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (buffer.length < 4) return;
          length = buffer.readUInt16BE(2);
          offset = 4;
        } else if (length === 127) {
          if (buffer.length < 10) return;
          length = Number(buffer.readBigUInt64BE(2));
          offset = 10;
        }
        if (buffer.length < offset + length) return;
        const payload = buffer.subarray(offset, offset + length);
        buffer = buffer.subarray(offset + length);
        if (opcode === OPCODE.close) {
          closeFrame = { code: payload.length >= 2 ? payload.readUInt16BE(0) : null, reason: payload.subarray(2).toString() };
          socket.end();
        } else if (opcode === OPCODE.text) {
          const message = JSON.parse(payload.toString());
          const next = waiting.shift();
          if (next) next.resolve(message);
          else messages.push(message);
        }
      }
    };
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!upgraded) {
        const end = buffer.indexOf("\r\n\r\n");
        if (end < 0) return;
        const head = buffer.subarray(0, end).toString();
        buffer = buffer.subarray(end + 4);
        if (!head.startsWith("HTTP/1.1 101")) {
          socket.destroy();
          return reject(new Error(`The server refused the upgrade: ${head.split("\r\n")[0]}`));
        }
        upgraded = true;
        resolve({
          socket,
          send: (bytes) => {
            if (!socket.destroyed) socket.write(bytes);
          },
          nextMessage: () => {
            const message = messages.shift();
            if (message) return Promise.resolve(message);
            if (socket.destroyed) return Promise.reject(new Error("The connection has closed."));
            return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
          },
          closed,
          end: () => socket.destroy(),
        });
      }
      readFrames();
    });
    socket.once("close", () => {
      if (!upgraded) reject(new Error("The connection closed before the upgrade."));
    });
    socket.once("connect", () => {
      socket.write(
        [
          `GET ${pathname} HTTP/1.1`,
          `Host: ${hostname}:${port}`,
          "Upgrade: websocket",
          "Connection: Upgrade",
          `Sec-WebSocket-Key: ${key}`,
          "Sec-WebSocket-Version: 13",
          "Sec-WebSocket-Protocol: graphql-transport-ws",
          "",
          "",
        ].join("\r\n"),
      );
    });
  });
}
