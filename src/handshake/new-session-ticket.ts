/**
 * NewSessionTicket: TLS 1.3 (RFC 8446 §4.6.1) and TLS 1.2 (RFC 5077 §3.3).
 */
import type { Reader } from '../bytes/reader.ts';
import type { Writer } from '../bytes/writer.ts';
import { decodeExtensions, encodeExtensions } from '../extensions/block.ts';
import type { Extension } from '../extensions/types.ts';

/** The TLS 1.3 form. */
export interface NewSessionTicket13 {
  readonly type: 'new_session_ticket';
  readonly form: 'tls13';
  readonly ticketLifetime: number;
  readonly ticketAgeAdd: number;
  readonly ticketNonce: Uint8Array;
  readonly ticket: Uint8Array;
  readonly extensions: readonly Extension[];
}

/** The TLS 1.2 (RFC 5077) form. */
export interface NewSessionTicket12 {
  readonly type: 'new_session_ticket';
  readonly form: 'tls12';
  readonly ticketLifetimeHint: number;
  readonly ticket: Uint8Array;
}

/** A NewSessionTicket. */
export type NewSessionTicket = NewSessionTicket13 | NewSessionTicket12;

/** Guess of the form when the version is unknown: TLS 1.2 is a u32 then a u16 vector covering the rest. */
export function looksLikeTls12Ticket(body: Uint8Array): boolean {
  return body.length >= 6 && ((body[4] << 8) | body[5]) === body.length - 6;
}

/** Reads a NewSessionTicket body in the given form. */
export function readNewSessionTicketBody(r: Reader, form: 'tls13' | 'tls12'): NewSessionTicket {
  if (form === 'tls12') {
    const ticketLifetimeHint = r.u32('ticket_lifetime_hint');
    const ticket = r.vectorBytes(2, 'ticket');
    r.done();
    return { type: 'new_session_ticket', form, ticketLifetimeHint, ticket };
  }
  const ticketLifetime = r.u32('ticket_lifetime');
  const ticketAgeAdd = r.u32('ticket_age_add');
  const ticketNonce = r.vectorBytes(1, 'ticket_nonce');
  const ticket = r.vectorBytes(2, 'ticket', { min: 1 });
  const extensions = decodeExtensions(r, 'new_session_ticket');
  r.done();
  return { type: 'new_session_ticket', form, ticketLifetime, ticketAgeAdd, ticketNonce, ticket, extensions };
}

/** Writes a NewSessionTicket body. */
export function writeNewSessionTicketBody(w: Writer, m: NewSessionTicket): void {
  if (m.form === 'tls12') {
    w.u32(m.ticketLifetimeHint, 'ticket_lifetime_hint');
    w.vector(2, 'ticket', m.ticket);
    return;
  }
  w.u32(m.ticketLifetime, 'ticket_lifetime');
  w.u32(m.ticketAgeAdd, 'ticket_age_add');
  w.vector(1, 'ticket_nonce', m.ticketNonce);
  w.vector(2, 'ticket', m.ticket);
  encodeExtensions(w, m.extensions);
}
