/**
 * Suricata's own expected outputs (fixtures/corpus/suricata-verify/tests/<test>/test.yaml, the eve
 * records its test suite checks) against Wirelens on the same captures: for every `match` that names
 * SMTP, FTP, HTTP, POP3 or TLS fields Wirelens reports (envelope, HELO, header From/To, attachments,
 * FTP commands and dynamic ports, HTTP method/URL/host/status, POP3 commands, TLS SNI/version/JA3/JA4),
 * some record of ours must carry all of them. Checks that assert absence (count: 0) are not used.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { MailMessage } from '../../../dissectors/app/mail/message';
import { buildReport } from '../../../dissectors/analysis/report';
import type { AnalysisReport } from '../../../dissectors/analysis/types';
import { loadCapture } from '../../../electron/engine/load-capture';
import { FIXTURES } from '../../helpers/fixtures';

const SURICATA = join(FIXTURES, 'corpus', 'suricata-verify', 'tests');

/** Fields of Suricata's eve records that Wirelens reports; others in a match are ignored. */
const MAPPED = /^(smtp\.(helo|mail_from|rcpt_to\[\d+\])|email\.(from|to\[\d+\]|attachment\[\d+\])|ftp\.(command|command_data|dynamic_port)|ftp_data\.(command|filename)|http\.(url|http_method|hostname|status)|pop3\.request\.command|tls\.(sni|version|ja3\.string|ja3\.hash|ja4|subject|issuerdn))$/;

/** Checks whose expected record Wirelens does not produce, and why. */
const KNOWN: Record<string, string> = {
  'pop3-auth-01 {"pop3.request.command":"<SASL DATA>"}': 'Suricata logs the SASL answer as a pseudo-command "<SASL DATA>"; Wirelens shows it as the AUTH exchange (kind auth), not a command',
};

/** Checks compared on a prefix, and why. */
const PREFIX: Record<string, string> = {
  'smtp-long-command': 'Suricata keeps the first 4 KiB of an over-long EHLO line with its CR (escaped "\\r"); Wirelens keeps the whole argument, without the line terminator',
};

type Rec = Record<string, string>;

interface Check {
  eventType: string;
  fields: Rec;
}

/** The `checks:` of a test.yaml, read line by line (only the flat `match:` maps matter here). */
function parseChecks(yaml: string): Check[] {
  const checks: Check[] = [];
  let cur: { count: number | null; fields: Rec; eventType: string } | null = null;
  let inMatch = false;
  let lastKey: { key: string; indent: number } | null = null;
  const flush = () => {
    if (cur && cur.count !== 0) {
      const fields = Object.fromEntries(Object.entries(cur.fields).filter(([k]) => MAPPED.test(k)));
      if (Object.keys(fields).length) checks.push({ eventType: cur.eventType, fields });
    }
  };
  for (const raw of yaml.split('\n')) {
    const line = raw.replace(/\s+#.*$/, '');
    if (/^\s*- filter:/.test(line)) {
      flush();
      cur = { count: null, fields: {}, eventType: '' };
      inMatch = false;
      continue;
    }
    if (/^\s*- \w/.test(line) && !/^\s*- filter:/.test(line)) {
      flush();
      cur = null;
      continue;
    }
    if (!cur) continue;
    const count = /^\s*count:\s*(\d+)/.exec(line);
    if (count && !inMatch) cur.count = Number(count[1]);
    if (/^\s*match:\s*$/.test(line)) {
      inMatch = true;
      continue;
    }
    const kv = /^(\s+)([A-Za-z_][\w.[\]]*):\s*(.+?)\s*$/.exec(line);
    if (inMatch && kv) {
      const value = kv[3].replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
      if (kv[2] === 'event_type') cur.eventType = value;
      else cur.fields[kv[2]] = value;
      lastKey = { key: kv[2], indent: kv[1].length };
    } else if (inMatch && lastKey && /^\s+\S/.test(line) && line.search(/\S/) > lastKey.indent) {
      cur.fields[lastKey.key] += ' ' + line.trim(); // a plain scalar folded onto the next line
    }
  }
  flush();
  return checks;
}

const suricataVersion = (v: string): string =>
  v === 'TLS 1.0' ? 'TLSv1' : v.replace(/^TLS 1\.3 \(draft (\d+)\)$/, 'TLS 1.3 draft-$1');

/** Wirelens's report as flat records named like Suricata's eve fields. */
function records(report: AnalysisReport): Rec[] {
  const out: Rec[] = [];
  for (const c of report.connections) {
    const smtp = c.smtp as { helo: string | null; messages: MailMessage[]; transactions: Array<{ mailFrom: string | null; rcptTo: string[]; message: number | null }> } | undefined;
    if (smtp?.helo) out.push({ 'smtp.helo': smtp.helo });
    for (const t of smtp?.transactions ?? []) {
      if (t.message !== null) continue; // those are listed with their message below
      const r: Rec = {};
      if (t.mailFrom !== null) r['smtp.mail_from'] = `<${t.mailFrom}>`;
      t.rcptTo.forEach((a, i) => (r[`smtp.rcpt_to[${i}]`] = `<${a}>`));
      out.push(r);
    }
    for (const m of smtp?.messages ?? []) {
      const r: Rec = {};
      if (smtp?.helo) r['smtp.helo'] = smtp.helo;
      if (m.envelope?.mailFrom !== undefined && m.envelope?.mailFrom !== null) r['smtp.mail_from'] = `<${m.envelope.mailFrom}>`;
      m.envelope?.rcptTo.forEach((a, i) => (r[`smtp.rcpt_to[${i}]`] = `<${a}>`));
      if (m.headers.from) r['email.from'] = m.headers.from;
      (m.headers.to ?? '').split(',').map((s) => s.trim()).filter(Boolean).forEach((a, i) => (r[`email.to[${i}]`] = a));
      m.mime?.attachments.forEach((a, i) => a.filename && (r[`email.attachment[${i}]`] = a.filename));
      out.push(r);
    }
    for (const e of c.ladder) {
      const f = e.fields ?? {};
      if (f['ftp.request.command'] !== undefined) out.push({ 'ftp.command': String(f['ftp.request.command']).toUpperCase(), ...(f['ftp.request.arg'] ? { 'ftp.command_data': String(f['ftp.request.arg']) } : {}) });
      if (f['ftp.passive.port'] !== undefined) out.push({ 'ftp.command': 'PASV', 'ftp.dynamic_port': String(f['ftp.passive.port']) });
      if (f['ftp.active.port'] !== undefined) out.push({ 'ftp.command': String(f['ftp.request.command']).toUpperCase(), 'ftp.dynamic_port': String(f['ftp.active.port']) });
      if (f['ftp.epsv.port'] !== undefined) out.push({ 'ftp.command': 'EPSV', 'ftp.dynamic_port': String(f['ftp.epsv.port']) });
      if (f['pop.request.command'] !== undefined) out.push({ 'pop3.request.command': String(f['pop.request.command']).toUpperCase() });
    }
    const ftp = c.ftp as { transfers: Array<{ command: string; argument: string; port: number | null; mode: string | null }> } | undefined;
    for (const t of ftp?.transfers ?? []) {
      out.push({ 'ftp_data.command': t.command, 'ftp_data.filename': t.argument.split('/').pop() ?? t.argument });
    }
    const http = c.http as { exchanges: Array<{ request: { method: string; uri: string; host: string | null } | null; response: { status: number } | null }> } | undefined;
    for (const x of http?.exchanges ?? []) {
      const r: Rec = {};
      if (x.request) {
        r['http.http_method'] = x.request.method;
        r['http.url'] = x.request.uri;
        if (x.request.host) r['http.hostname'] = x.request.host.replace(/:\d+$/, '');
      }
      if (x.response) r['http.status'] = String(x.response.status);
      out.push(r);
    }
    if (c.tls) {
      const r: Rec = {};
      const ch = c.tls.clientHello;
      if (ch?.sni) r['tls.sni'] = ch.sni;
      if (ch) {
        r['tls.ja3.string'] = ch.ja3;
        r['tls.ja3.hash'] = ch.ja3Hash;
        r['tls.ja4'] = ch.ja4;
      }
      // Suricata reports the server's chosen version, or the client's when no ServerHello was seen.
      const version = c.tls.serverHello?.version ?? ch?.versions[0] ?? ch?.legacyVersion;
      if (version) r['tls.version'] = suricataVersion(version);
      const leaf = c.tls.certificates?.[0];
      if (leaf) {
        r['tls.subject'] = leaf.subject;
        r['tls.issuerdn'] = leaf.issuer;
      }
      out.push(r);
    }
  }
  return out;
}

function testDirs(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (!statSync(p).isDirectory()) continue;
    if (existsSync(join(p, 'test.yaml'))) out.push(p);
    else out.push(...testDirs(p));
  }
  return out;
}

function pcapOf(dir: string, yaml: string): string | null {
  const named = /^pcap:\s*(\S+)/m.exec(yaml)?.[1];
  if (named) {
    const p = join(dir, named);
    return existsSync(p) ? p : null;
  }
  const found = readdirSync(dir).filter((f) => /\.(pcap|pcapng)$/.test(f));
  return found.length === 1 ? join(dir, found[0]) : null;
}

const totals = { tests: 0, checks: 0, fields: 0, known: 0 };

for (const dir of testDirs(SURICATA)) {
  const yaml = readFileSync(join(dir, 'test.yaml'), 'utf8');
  const checks = parseChecks(yaml);
  const pcap = pcapOf(dir, yaml);
  if (!checks.length || !pcap) continue;
  const name = dir.slice(SURICATA.length + 1);
  test(`Suricata's expected records are in Wirelens's analysis: ${name}`, async () => {
    const loaded = await loadCapture(pcap, { keepPayloads: false });
    const report = buildReport(loaded.summary, loaded.output, loaded.source.size);
    await loaded.source.dispose();
    const ours = records(report);
    const missing: string[] = [];
    totals.tests++;
    for (const check of checks) {
      const key = `${name} ${JSON.stringify(check.fields)}`;
      const same = (a: string | undefined, b: string) => a === b || (PREFIX[name] !== undefined && a !== undefined && a.startsWith(b.replace(/\\r$/, '')));
      const found = ours.some((r) => Object.entries(check.fields).every(([k, v]) => same(r[k], v)));
      if (found) {
        totals.checks++;
        totals.fields += Object.keys(check.fields).length;
      } else if (KNOWN[key]) totals.known++;
      else {
        const near = ours.filter((r) => Object.keys(check.fields).some((k) => k in r)).slice(0, 3);
        missing.push(`${key} — ours: ${JSON.stringify(near).slice(0, 400)}`);
      }
    }
    assert.deepEqual(missing, []);
  });
}

test('the Suricata comparison covered real checks', () => {
  assert.ok(totals.checks >= 50 && totals.fields >= 100, JSON.stringify(totals));
});
