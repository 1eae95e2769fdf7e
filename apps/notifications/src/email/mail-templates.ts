import { DateTime } from 'luxon';
import type { PartnerEventType, PlatformStandard, ReferralEventPayload } from '@nwd/contracts';
import type { NotificationLanguage } from '../subscriptions/subscription-codes';
import type { AudiencePurpose } from '../audience/referral-audience.rules';
import type { PlatformAlert, PlatformAlertCode } from '../deliveries/platform-alert';

/**
 * What a mail may say about a referral event: ids, codes, statuses and times, picked field by field
 * from the event (`referralFacts`), so nothing else an event might ever carry reaches a mailbox.
 */
export interface ReferralFacts {
  eventType: PartnerEventType;
  /** Why the reader is told: a notice, a reminder of its own deadline, or an escalation of someone else's. */
  purpose: AudiencePurpose;
  referralId: string;
  status: string;
  version: number;
  occurredAt: string;
  standard?: PlatformStandard;
  dueAt?: string;
  outcome?: string;
  forwardedToReferralId?: string;
}

export function referralFacts(eventType: PartnerEventType, payload: ReferralEventPayload & { dueAt?: string }, purpose: AudiencePurpose = 'notice'): ReferralFacts {
  return {
    eventType,
    purpose,
    referralId: payload.referralId,
    status: payload.status,
    version: payload.version,
    occurredAt: payload.occurredAt,
    ...(payload.standard ? { standard: payload.standard } : {}),
    ...(payload.dueAt ? { dueAt: payload.dueAt } : {}),
    ...(payload.outcome ? { outcome: payload.outcome } : {}),
    ...(payload.forwardedToReferralId ? { forwardedToReferralId: payload.forwardedToReferralId } : {}),
  };
}

export interface RenderedMail {
  subject: string;
  text: string;
}

interface Wording {
  events: Record<PartnerEventType, string>;
  standards: Record<PlatformStandard, string>;
  alerts: Record<PlatformAlertCode, string>;
  referral: string;
  status: string;
  outcome: string;
  standard: string;
  due: string;
  forwardedAs: string;
  open: string;
  reminder: string;
  /** The receiver's own deadline passed (overdue, purpose reminder). */
  missedHeadline: string;
  missed: string;
  escalation: string;
  digestSubject: (count: number, day: string) => string;
  digestLead: string;
  alertLead: string;
  footer: string;
}

const EN: Wording = {
  events: {
    'referral.v1.requested': 'New referral received',
    'referral.v1.accepted': 'Referral accepted',
    'referral.v1.rejected': 'Referral declined',
    'referral.v1.forwarded': 'Referral forwarded',
    'referral.v1.in-progress': 'Referral in progress',
    'referral.v1.on-hold': 'Referral on hold',
    'referral.v1.completed': 'Referral completed',
    'referral.v1.failed': 'Referral closed without service',
    'referral.v1.cancelled': 'Referral cancelled',
    'referral.v1.note-added': 'New note on a referral',
    'referral.v1.contact-attempted': 'Contact attempt recorded',
    'referral.v1.exception-noted': 'Exception noted on a referral',
    'referral.v1.outcome-known': 'Referral outcome recorded',
    'referral.v1.consent-revoked': 'Consent for a referral was withdrawn',
    'referral.v1.due-soon': 'Reminder: a platform-standard deadline is near',
    'referral.v1.overdue': 'Escalation: a platform standard was missed',
  },
  standards: {
    respond: 'respond to the referral',
    'first-note': 'first note on the case',
    close: 'close the referral',
    'note-cadence': 'note on the case every few months',
    'unreachable-closure': 'close as unreachable',
  },
  alerts: {
    'webhook-endpoint-disabled': 'A webhook endpoint was disabled after repeated failed deliveries',
  },
  referral: 'Referral',
  status: 'Status',
  outcome: 'Outcome',
  standard: 'Standard',
  due: 'Due',
  forwardedAs: 'Forwarded as referral',
  open: 'Open it in No Wrong Door',
  reminder: 'The deadline below is near. Please act on the referral before it passes.',
  missedHeadline: 'Reminder: a platform-standard deadline has passed',
  missed: 'The deadline below has passed. Please act on the referral now; the sender and the network have been told.',
  escalation: 'The deadline below has passed without the step the network’s standards require. Please follow up.',
  digestSubject: (count, day) => `No Wrong Door: ${count} referral update${count === 1 ? '' : 's'} for ${day}`,
  digestLead: 'Referral updates since the last digest:',
  alertLead: 'A notice about your organization’s connection to No Wrong Door:',
  footer: 'Your organization subscribed to these notifications. This message holds no client information: sign in to see the details.',
};

const ES: Wording = {
  events: {
    'referral.v1.requested': 'Nueva derivación recibida',
    'referral.v1.accepted': 'Derivación aceptada',
    'referral.v1.rejected': 'Derivación rechazada',
    'referral.v1.forwarded': 'Derivación reenviada',
    'referral.v1.in-progress': 'Derivación en curso',
    'referral.v1.on-hold': 'Derivación en espera',
    'referral.v1.completed': 'Derivación completada',
    'referral.v1.failed': 'Derivación cerrada sin servicio',
    'referral.v1.cancelled': 'Derivación cancelada',
    'referral.v1.note-added': 'Nueva nota en una derivación',
    'referral.v1.contact-attempted': 'Intento de contacto registrado',
    'referral.v1.exception-noted': 'Excepción anotada en una derivación',
    'referral.v1.outcome-known': 'Resultado de la derivación registrado',
    'referral.v1.consent-revoked': 'Se retiró el consentimiento de una derivación',
    'referral.v1.due-soon': 'Recordatorio: se acerca un plazo de los estándares de la red',
    'referral.v1.overdue': 'Escalamiento: no se cumplió un estándar de la red',
  },
  standards: {
    respond: 'responder a la derivación',
    'first-note': 'primera nota del caso',
    close: 'cerrar la derivación',
    'note-cadence': 'nota periódica del caso',
    'unreachable-closure': 'cerrar por falta de contacto',
  },
  alerts: {
    'webhook-endpoint-disabled': 'Se desactivó un webhook tras entregas fallidas repetidas',
  },
  referral: 'Derivación',
  status: 'Estado',
  outcome: 'Resultado',
  standard: 'Estándar',
  due: 'Vence',
  forwardedAs: 'Reenviada como derivación',
  open: 'Ábrala en No Wrong Door',
  reminder: 'El plazo indicado abajo está cerca. Actúe sobre la derivación antes de que venza.',
  missedHeadline: 'Recordatorio: venció un plazo de los estándares de la red',
  missed: 'El plazo indicado abajo venció. Actúe sobre la derivación ahora; se avisó a quien la envió y a la red.',
  escalation: 'El plazo indicado abajo venció sin el paso que exigen los estándares de la red. Haga seguimiento, por favor.',
  digestSubject: (count, day) => `No Wrong Door: ${count} ${count === 1 ? 'novedad' : 'novedades'} de derivaciones del ${day}`,
  digestLead: 'Novedades de derivaciones desde el último resumen:',
  alertLead: 'Un aviso sobre la conexión de su organización con No Wrong Door:',
  footer: 'Su organización se suscribió a estas notificaciones. Este mensaje no contiene información de clientes: inicie sesión para ver los detalles.',
};

export const MAIL_WORDING: Record<NotificationLanguage, Wording> = { en: EN, es: ES };

function when(iso: string, language: NotificationLanguage, zone: string): string {
  return DateTime.fromISO(iso, { zone }).setLocale(language).toLocaleString(DateTime.DATETIME_FULL);
}

function factLines(facts: ReferralFacts, w: Wording, language: NotificationLanguage, zone: string): string[] {
  const lines = [`${w.referral}: ${facts.referralId}`, `${w.status}: ${facts.status}`];
  if (facts.outcome) lines.push(`${w.outcome}: ${facts.outcome}`);
  if (facts.forwardedToReferralId) lines.push(`${w.forwardedAs}: ${facts.forwardedToReferralId}`);
  if (facts.standard) lines.push(`${w.standard}: ${w.standards[facts.standard]}`);
  if (facts.dueAt) lines.push(`${w.due}: ${when(facts.dueAt, language, zone)}`);
  return lines;
}

function headlineOf(facts: ReferralFacts, w: Wording): string {
  return facts.eventType === 'referral.v1.overdue' && facts.purpose === 'reminder' ? w.missedHeadline : w.events[facts.eventType];
}

/** Why a deadline mail is sent, first thing in it: near (due-soon), missed by the reader, or missed by another (escalation). */
function leadOf(facts: ReferralFacts, w: Wording): string[] {
  if (facts.eventType === 'referral.v1.due-soon') return [w.reminder, ''];
  if (facts.eventType === 'referral.v1.overdue') return [facts.purpose === 'reminder' ? w.missed : w.escalation, ''];
  return [];
}

/** One referral event's mail: a reminder for due-soon, an escalation (or the receiver's reminder) for overdue, a notice otherwise. */
export function referralMail(facts: ReferralFacts, language: NotificationLanguage, { link, timeZone }: { link: string; timeZone: string }): RenderedMail {
  const w = MAIL_WORDING[language];
  const headline = headlineOf(facts, w);
  const lead = leadOf(facts, w);
  return {
    subject: `${headline} · ${facts.referralId.slice(0, 8)}`,
    text: [headline, '', ...lead, ...factLines(facts, w, language, timeZone), '', `${w.open}: ${link}`, '', '—', w.footer, ''].join('\n'),
  };
}

/** A day's events in one mail, oldest first, each with its link. */
export function digestMail(
  items: { facts: ReferralFacts; link: string }[],
  language: NotificationLanguage,
  { timeZone, at }: { timeZone: string; at: Date },
): RenderedMail {
  const w = MAIL_WORDING[language];
  const day = DateTime.fromJSDate(at, { zone: timeZone }).setLocale(language).toLocaleString(DateTime.DATE_FULL);
  const blocks = items.map(({ facts, link }) =>
    [`• ${headlineOf(facts, w)}`, ...factLines(facts, w, language, timeZone).map((l) => `  ${l}`), `  ${link}`].join('\n'),
  );
  return {
    subject: w.digestSubject(items.length, day),
    text: [w.digestLead, '', blocks.join('\n\n'), '', '—', w.footer, ''].join('\n'),
  };
}

/** A notice of the platform about the organization's own setup (e.g. a disabled webhook endpoint). */
export function platformAlertMail(alert: PlatformAlert, language: NotificationLanguage): RenderedMail {
  const w = MAIL_WORDING[language];
  const headline = w.alerts[alert.code];
  const lines = [w.alertLead, '', headline, ...(alert.subjectId ? [`ID: ${alert.subjectId}`] : []), ...(alert.link ? ['', alert.link] : [])];
  return { subject: `No Wrong Door: ${headline}`, text: [...lines, '', '—', w.footer, ''].join('\n') };
}
