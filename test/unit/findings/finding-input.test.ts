import { describe, expect, it } from 'vitest';
import { MAX_INPUT_BYTES, decodeInput, parseFindingsDocument, readFindingsInput } from '../../../src/core/finding-input.js';
import { UsageError } from '../../../src/core/errors.js';
import { WORKSHOP } from '../../../src/sandbox/scenarios/workshop-facts.js';
import { CUSTOM_ID, toPascal, workshopFinding, workshopFindings } from './fixtures.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const ids = (text: string): string[] => parseFindingsDocument(text, 'f.json').map((f) => f.id);

describe('parseFindingsDocument: accepted shapes', () => {
  const one = workshopFinding(CUSTOM_ID);
  const two = [one, workshopFinding(WORKSHOP.findings.reconCustom)];

  it('a GetFindings response in wire and AWS CLI casing', () => {
    expect(ids(JSON.stringify({ findings: two }))).toEqual([CUSTOM_ID, WORKSHOP.findings.reconCustom]);
    expect(ids(JSON.stringify({ Findings: two.map((f) => toPascal(f)) }))).toEqual([CUSTOM_ID, WORKSHOP.findings.reconCustom]);
  });

  it('a single finding in either casing, and an array', () => {
    expect(ids(JSON.stringify(one))).toEqual([CUSTOM_ID]);
    expect(ids(JSON.stringify(toPascal(one)))).toEqual([CUSTOM_ID]);
    expect(ids(JSON.stringify(two))).toEqual([CUSTOM_ID, WORKSHOP.findings.reconCustom]);
    expect(ids('[]')).toEqual([]);
  });

  it('an EventBridge "GuardDuty Finding" event, alone, in an array, or inside an SNS notification', () => {
    const event = { version: '0', id: 'e1', 'detail-type': 'GuardDuty Finding', source: 'aws.guardduty', account: WORKSHOP.accountId, region: 'us-west-2', detail: one };
    expect(ids(JSON.stringify(event))).toEqual([CUSTOM_ID]);
    expect(ids(JSON.stringify([event, event]))).toEqual([CUSTOM_ID, CUSTOM_ID]);
    const sns = { Type: 'Notification', MessageId: 'm', TopicArn: 'arn:aws:sns:us-west-2:111122223333:t', Message: JSON.stringify(event) };
    expect(ids(JSON.stringify(sns))).toEqual([CUSTOM_ID]);
  });

  it('keeps the object as received under raw', () => {
    const pascal = toPascal(one);
    const [f] = parseFindingsDocument(JSON.stringify(pascal), 'f.json');
    expect(f?.raw).toEqual(pascal);
  });

  it('reads the whole workshop export', () => {
    expect(ids(JSON.stringify({ findings: workshopFindings() }))).toHaveLength(workshopFindings().length);
  });
});

describe('parseFindingsDocument / decodeInput: rejected input (exit 2, one clear line)', () => {
  it.each([
    ['{"findings":[', /f\.json is not valid JSON \(.*\): expected a GetFindings response/],
    ['42', /f\.json holds a JSON number: expected/],
    ['null', /holds a JSON null/],
    ['{"foo":1,"bar":2}', /not GuardDuty findings \(an object with keys foo, bar\): expected a GetFindings response/],
    ['{"detail-type":"EC2 Instance State-change Notification","detail":{}}', /EventBridge event of type 'EC2 Instance State-change Notification', not "GuardDuty Finding"/],
    ['{"findings":[{"id":"a"}]}', /finding is not a GuardDuty finding: it has no "type"/],
    ['[{"id":"a","type":"T","severity":1},{"nope":1}]', /finding #2 is not a GuardDuty finding/],
    ['{"Type":"Notification","Message":"not json"}', /SNS notification whose Message is not JSON/],
  ])('%s', (text, message) => {
    expect(() => parseFindingsDocument(text, 'f.json')).toThrow(UsageError);
    expect(() => parseFindingsDocument(text, 'f.json')).toThrow(message);
  });

  it('rejects binary, non-UTF-8, empty and oversized input', () => {
    expect(() => decodeInput(new Uint8Array([0xff, 0xfe, 0x00, 0x7b]), 'x.bin')).toThrow(/x\.bin is not UTF-8 text/);
    expect(() => decodeInput(enc('{"a":\u0000}'), 'x.bin')).toThrow(/looks binary/);
    expect(() => decodeInput(enc('  \n'), 'e.json')).toThrow(/e\.json is empty/);
    expect(() => decodeInput(new Uint8Array(MAX_INPUT_BYTES + 1), 'big.json')).toThrow(/big\.json is larger than 20 MiB/);
  });

  it('accepts a UTF-8 BOM', () => {
    expect(readFindingsInput(enc('\ufeff' + JSON.stringify(workshopFinding(CUSTOM_ID))), 'bom.json').map((f) => f.id)).toEqual([CUSTOM_ID]);
  });

  it('never echoes control characters from the file in its messages', () => {
    // Outside a try: an assertion failure inside one would be caught and pass as "the error".
    let err: unknown;
    try {
      parseFindingsDocument('{"\u001b[31mevil":1}', 'f.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toContain('f.json');
    expect((err as Error).message).not.toMatch(/\u001b/);
  });
});
