// What the customer reads and hears, in the contact's language (Japanese unless the contract says
// English). Rendered once when a notification is created and stored, so a resend is identical.
import { ContactLanguageCode, SocSeverity } from '@kanshi/events';
import { SeverityDecision } from './severity-decision';

const SEVERITY_JA: Record<SocSeverity, string> = { HIGH: '高', MEDIUM: '中', LOW: '低' };
const SEVERITY_EN: Record<SocSeverity, string> = { HIGH: 'High', MEDIUM: 'Medium', LOW: 'Low' };

export interface RenderedMail {
  subject: string;
  text: string;
}

const list = (items: string[], none: string) => (items.length ? items.map((t) => `- ${t}`).join('\n') : none);

export function renderMail(d: SeverityDecision, language: ContactLanguageCode, contactName: string): RenderedMail {
  if (language === 'en') {
    return {
      subject: `[Kanshi SOC] Severity ${SEVERITY_EN[d.severity]}: ${d.title}`,
      text: [
        `Dear ${contactName},`,
        '',
        `Our analysts decided that the following incident is of ${SEVERITY_EN[d.severity].toLowerCase()} severity.`,
        '',
        `Incident: ${d.incidentId}`,
        `Summary: ${d.title}`,
        `Severity: ${SEVERITY_EN[d.severity]}`,
        `Decided at: ${d.decidedAt.toISOString()}`,
        d.hosts.length ? `Hosts: ${d.hosts.join(', ')}` : '',
        '',
        'Why:',
        list(d.reasons.map((r) => r.text), '- (no reasons recorded)'),
        '',
        'Countermeasures:',
        list(d.actions.map((a) => a.text), '- We will tell you in the analysis report.'),
        '',
        'Please acknowledge this incident in the Kanshi portal. A detailed analysis report follows.',
        '',
        'Kanshi Security Operations Center',
      ]
        .filter((l, i, all) => l !== '' || all[i - 1] !== '')
        .join('\n'),
    };
  }
  return {
    subject: `【Kanshi SOC】重要度「${SEVERITY_JA[d.severity]}」インシデントのご連絡: ${d.title}`,
    text: [
      `${contactName} 様`,
      '',
      `以下のインシデントを重要度「${SEVERITY_JA[d.severity]}」と判断しましたので、ご連絡いたします。`,
      '',
      `インシデント: ${d.incidentId}`,
      `概要: ${d.title}`,
      `重要度: ${SEVERITY_JA[d.severity]}`,
      `判断日時: ${d.decidedAt.toISOString()}`,
      d.hosts.length ? `対象ホスト: ${d.hosts.join(', ')}` : '',
      '',
      '判断の理由:',
      list(d.reasons.map((r) => r.textJa), '- (記録された理由はありません)'),
      '',
      '対策:',
      list(d.actions.map((a) => a.textJa), '- 調査報告書にてお知らせいたします。'),
      '',
      'Kanshi ポータルにてインシデントの確認(受領)をお願いいたします。詳細な調査報告書は追ってお送りいたします。',
      '',
      'Kanshi セキュリティオペレーションセンター',
    ]
      .filter((l, i, all) => l !== '' || all[i - 1] !== '')
      .join('\n'),
  };
}

// What the operator (or the automated call) says, both languages kept on the task.
export function callScript(d: SeverityDecision, language: ContactLanguageCode): string {
  const hosts = d.hosts.join(', ');
  if (language === 'en') {
    return [
      'This is the Kanshi Security Operations Center.',
      `We detected an incident of ${SEVERITY_EN[d.severity].toLowerCase()} severity: ${d.title}.`,
      hosts ? `Affected hosts: ${hosts}.` : '',
      d.actions.length ? `We recommend: ${d.actions.map((a) => a.text).join(' ')}` : '',
      'Details follow by e-mail. Please confirm that you received this call.',
    ]
      .filter(Boolean)
      .join(' ');
  }
  return [
    'Kanshi セキュリティオペレーションセンターです。',
    `重要度「${SEVERITY_JA[d.severity]}」のインシデントを検知しました。${d.title}。`,
    hosts ? `対象ホスト: ${hosts}。` : '',
    d.actions.length ? `推奨する対策: ${d.actions.map((a) => a.textJa).join(' ')}` : '',
    '詳細はメールでお送りします。本件のご連絡を受領されたことをご確認ください。',
  ]
    .filter(Boolean)
    .join('');
}
