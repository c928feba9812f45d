/**
 * Exports (`GET …/reports/{kind}.{csv|xlsx}`) and the rooms' routes over a real log: the contract's
 * story of 加装电梯 (raised by 王秀英, phone 13800138000, in the property room) carried to its
 * rating, and a second topic about refuse sorting in the community room five months later. The
 * CSV is parsed back with an RFC 4180 parser, the XLSX read back with read-excel-file.
 */
import { before, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readSheet } from 'read-excel-file/node';
import { append, call, PEOPLE, perDatabase, story, topicSubmission, wuxiProgramme, type Answer } from './helpers.js';

let clock = '2026-03-02T01:15:00.000Z';
const NOW = '2026-09-01T08:00:00+08:00';
const REPORTS = '/programmes/{programmeId}/reports/{report}';

/** RFC 4180: fields quoted or not, "" inside quotes, CRLF between records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    }
    else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 1;
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

async function download(url: string, token?: string): Promise<{ status: number; headers: Headers; bytes: Buffer }> {
  const res = await fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

perDatabase('exports and rooms', ({ db, server }) => {
  let programme = '';
  const base = () => `${server().url}/api/programmes/${programme}`;
  const csv = async (path: string, token: string = PEOPLE.admin.token) => {
    const res = await download(`${base()}/reports/${path}`, token);
    assert.equal(res.status, 200, res.bytes.toString('utf8').slice(0, 300));
    const text = res.bytes.toString('utf8');
    return { ...res, text, rows: parseCsv(text.replace(/^\uFEFF/, '')) };
  };
  const column = (rows: string[][], header: string) => {
    const i = rows[0]!.indexOf(header);
    assert.ok(i >= 0, `no column ${header} in ${rows[0]!.join(', ')}`);
    return rows.slice(1).map((r) => r[i]!);
  };

  before(async () => {
    programme = await wuxiProgramme(db());
    for (const { body, alternative } of story()) {
      if (alternative || body.topicId !== story()[0]!.body.topicId) continue;
      clock = new Date(body.at).toISOString();
      const res = await append(server(), programme, body);
      assert.equal(res.status, 201, `${body.event.type}: ${res.text}`);
    }
    const second = topicSubmission(`t-waste-${randomUUID()}`);
    second.at = '2026-08-03T10:00:00+08:00';
    const values = second.event.values as Record<string, unknown>;
    values.title = '=垃圾分类亭搬迁';
    values.category = 'waste';
    values.description = '垃圾分类亭离3号楼太近，夏天气味大，希望搬到小区东门。';
    clock = new Date(second.at).toISOString();
    assert.equal((await append(server(), programme, second)).status, 201);
    clock = new Date(NOW).toISOString();
  });

  it('CSV of topics: BOM, CRLF, the columns in Chinese, the personal columns for a personal-data role', async () => {
    const res = await csv('topics.csv');
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="[^"]+"; filename\*=UTF-8''.+-%E8%AE%AE%E9%A2%98\.csv$/);
    assert.deepEqual([...res.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with a BOM');
    assert.ok(res.text.includes('\r\n') && !/[^\r]\n/.test(res.text), 'CRLF only');
    assert.deepEqual(res.rows[0]!.slice(0, 6), ['议题编号', '议题', '议事室', '层级', '类别', '议题来源']);
    assert.equal(res.rows.length, 3, 'a header and two topics');
    assert.deepEqual(column(res.rows, '议题'), ['3号楼加装电梯', "'=垃圾分类亭搬迁"], 'a leading = is neutralised');
    assert.deepEqual(column(res.rows, '议事室'), ['清名桥社区物业议事室', '清名桥社区协商议事室']);
    assert.deepEqual(column(res.rows, '类别'), ['加装电梯', '垃圾分类']);
    assert.deepEqual(column(res.rows, '提出时间'), ['2026-03-02 09:15:00', '2026-08-03 10:00:00']);
    assert.deepEqual(column(res.rows, '提出人'), ['王秀英', '王秀英'], 'an admin sees who raised them');
    assert.ok(res.text.includes('13800138000'), 'and the phone the resident gave');
  });

  it('a role outside personalDataRoles gets no personal column, and the bytes hold no name or phone', async () => {
    for (const kind of ['topics', 'meetings', 'ratings', 'measures']) {
      const res = await csv(`${kind}.csv`, PEOPLE.member.token);
      const header = res.text.replace(/^\uFEFF/, '').split('\r\n')[0]!.split(',');
      for (const personal of ['提出人', '参会人员', '评价人', '评价意见', '联系电话']) assert.ok(!header.includes(personal), `${kind}: no column ${personal}`);
      for (const value of ['王秀英', '赵德顺', '13800138000']) assert.ok(!res.text.includes(value), `${kind}: the bytes hold no ${value}`);
      const xlsx = await download(`${base()}/reports/${kind}.xlsx`, PEOPLE.member.token);
      const sheet = await readSheet(xlsx.bytes);
      const cells = sheet.flat().map(String);
      assert.ok(!cells.some((c) => c.includes('王秀英') || c.includes('13800138000') || c.includes('赵德顺')), `${kind}.xlsx holds no personal value`);
    }
  });

  it('meetings: the five haves, participants by role; measures with party, due and on time', async () => {
    const meetings = await csv('meetings.csv');
    assert.equal(meetings.rows.length, 2);
    assert.deepEqual(column(meetings.rows, '群众代表人数'), ['2']);
    assert.deepEqual(column(meetings.rows, '召集人').map((c) => c.length > 0), [true]);
    assert.deepEqual(column(meetings.rows, '参会人员').map((c) => c.includes('王秀英') && c.includes('赵德顺')), [true], 'an admin sees the residents by name');
    const measures = await csv('measures.csv?lang=en');
    assert.deepEqual(measures.rows[0]!.slice(0, 5), ['Topic id', 'Topic', 'Room', 'Level', 'Measure id']);
    assert.deepEqual(column(measures.rows, 'Status').sort(), ['Declined', 'Implemented']);
    const onTime = column(measures.rows, 'On time');
    assert.ok(onTime.includes('yes') || onTime.includes('no'), 'the implemented measure is judged against its deadline');
  });

  it('filters by period, room and level reduce the rows; bad values are 400s that name the parameter', async () => {
    assert.equal((await csv('topics.csv?from=2026-08-01')).rows.length, 2, 'only the August topic');
    assert.equal((await csv('topics.csv?to=2026-03-02')).rows.length, 2, 'to is inclusive: the topic of 2 March');
    assert.equal((await csv('topics.csv?from=2026-03-03&to=2026-08-02')).rows.length, 1, 'none in between');
    assert.equal((await csv('topics.csv?room=qingmingqiao-shequ')).rows.length, 2);
    assert.equal((await csv('topics.csv?level=street')).rows.length, 1, 'no topic at street level');
    for (const [query, parameter] of [
      ['from=2026-02-30', 'from'],
      ['to=yesterday', 'to'],
      ['from=2026-05-01&to=2026-04-01', 'to'],
      ['room=nowhere', 'room'],
      ['level=planet', 'level'],
      ['lang=fr', 'lang'],
      ['colour=red', 'colour'],
    ] as const) {
      const res = await call(server(), `/api/programmes/${programme}/reports/topics.csv?${query}`, { template: REPORTS, token: PEOPLE.admin.token });
      assert.equal(res.status, 400, query);
      assert.equal((res.body?.errors as Array<{ parameter: string }>)[0]!.parameter, parameter, query);
    }
    const badKind = await call(server(), `/api/programmes/${programme}/reports/people.csv`, { template: REPORTS, token: PEOPLE.admin.token });
    assert.equal(badKind.status, 400);
  });

  it('a resident gets 403 and nobody without a token gets anything (401), as problem+json', async () => {
    const resident = await call(server(), `/api/programmes/${programme}/reports/topics.csv`, { template: REPORTS, token: PEOPLE.resident.token });
    assert.equal(resident.status, 403);
    assert.ok(!resident.text.includes('王秀英'));
    const anonymous: Answer = await call(server(), `/api/programmes/${programme}/reports/measures.xlsx`, { template: REPORTS });
    assert.equal(anonymous.status, 401);
  });

  it('XLSX is read back: one sheet, the header row, dates as dates, the same rows as the CSV', async () => {
    const res = await download(`${base()}/reports/topics.xlsx`, PEOPLE.convener.token);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const sheet = await readSheet(res.bytes);
    assert.equal(sheet.length, 3);
    assert.equal(sheet[0]![1], '议题');
    const raised = sheet[0]!.indexOf('提出时间');
    const first = sheet[1]![raised];
    assert.ok(first instanceof Date, `a date cell, got ${String(first)}`);
    assert.equal(first.toISOString().slice(0, 16), '2026-03-02T09:15');
    assert.equal(sheet[2]![1], "'=垃圾分类亭搬迁");
  });

  it('rooms: figures and stars per grading period, per room', async () => {
    const res = await csv('rooms.csv?room=qingmingqiao-wuye,qingmingqiao-shequ&from=2026-01-01&to=2026-12-31');
    assert.deepEqual(column(res.rows, '议事室编号'), ['qingmingqiao-shequ', 'qingmingqiao-wuye'].filter((id) => res.text.includes(id)).sort((a, b) => res.text.indexOf(a) - res.text.indexOf(b)));
    const wuye = res.rows.find((r) => r[0] === 'qingmingqiao-wuye')!;
    const at = (h: string) => wuye[res.rows[0]!.indexOf(h)];
    assert.equal(at('评定周期'), '2026');
    assert.equal(at('协商议事次数'), '1');
    assert.equal(at('议题数'), '1');
    assert.match(at('星级') ?? '', /^[0-5]$/);
  });

  it('GET …/rooms lists the rooms with their grade; a room page has its history and trends; the index filters by room', async () => {
    const list = await call(server(), `/api/programmes/${programme}/rooms?now=${encodeURIComponent(NOW)}`, { template: '/programmes/{programmeId}/rooms' });
    assert.equal(list.status, 200);
    const rooms = list.body!.rooms as Array<{ id: string; topics: number; intakeUrl: string; grade: { period: { key: string } } }>;
    assert.deepEqual(rooms.map((r) => [r.id, r.topics]).filter(([, n]) => n), [['qingmingqiao-shequ', 1], ['qingmingqiao-wuye', 1]]);
    assert.match(rooms[0]!.intakeUrl, /room=qingmingqiao-shequ/);
    const page = await call(server(), `/api/programmes/${programme}/rooms/qingmingqiao-wuye?now=${encodeURIComponent(NOW)}`, { template: '/programmes/{programmeId}/rooms/{roomId}' });
    assert.equal(page.status, 200);
    assert.equal(((page.body!.trends as { months: unknown[] }).months.length > 0), true);
    const missing = await call(server(), `/api/programmes/${programme}/rooms/nowhere`, { template: '/programmes/{programmeId}/rooms/{roomId}' });
    assert.equal(missing.status, 404);
    const trends = await call(server(), `/api/programmes/${programme}/trends?room=qingmingqiao-shequ&now=${encodeURIComponent(NOW)}`, { template: '/programmes/{programmeId}/trends' });
    assert.equal(trends.status, 200);
    const months = (trends.body!.months as Array<{ month: string; raisedTotal: number }>).filter((m) => m.raisedTotal > 0);
    assert.deepEqual(months.map((m) => m.month), ['2026-08']);
    const badRoom = await call(server(), `/api/programmes/${programme}/trends?room=nowhere`, { template: '/programmes/{programmeId}/trends' });
    assert.equal(badRoom.status, 400);

    // The figures of one room count only the topics in it (one each here), not the programme's two.
    const whole = await call(server(), `/api/programmes/${programme}/figures?now=${encodeURIComponent(NOW)}`, { template: '/programmes/{programmeId}/figures' });
    const one = await call(server(), `/api/programmes/${programme}/figures?room=qingmingqiao-wuye&now=${encodeURIComponent(NOW)}`, { template: '/programmes/{programmeId}/figures' });
    assert.equal(whole.body!.topicsRaised, 2);
    assert.equal(one.status, 200);
    assert.equal(one.body!.topicsRaised, 1);
    const figuresBadRoom = await call(server(), `/api/programmes/${programme}/figures?room=nowhere`, { template: '/programmes/{programmeId}/figures' });
    assert.equal(figuresBadRoom.status, 400);
    assert.equal((figuresBadRoom.body?.errors as Array<{ parameter: string }>)[0]!.parameter, 'room');

    const index = await call(server(), `/api/programmes/${programme}/topics?room=qingmingqiao-wuye`, { template: '/programmes/{programmeId}/topics' });
    assert.equal(index.status, 200);
    const items = index.body!.items as Array<{ title: string; room?: string }>;
    assert.deepEqual(items.map((i) => [i.title, i.room]), [['3号楼加装电梯', 'qingmingqiao-wuye']]);
    assert.equal(index.body!.total, 1);
    const unknown = await call(server(), `/api/programmes/${programme}/topics?room=nowhere`, { template: '/programmes/{programmeId}/topics' });
    assert.equal(unknown.status, 400);
    assert.equal((unknown.body?.errors as Array<{ parameter: string }>)[0]!.parameter, 'room');
  });

  it('performance files: an admin reads every file, a member only their own, a resident 403, no token 401', async () => {
    const path = `/api/programmes/${programme}/performance?year=2026&now=${encodeURIComponent(NOW)}`;
    const template = '/programmes/{programmeId}/performance';
    const admin = await call(server(), path, { template, token: PEOPLE.admin.token });
    assert.equal(admin.status, 200);
    const files = admin.body!.files as Array<{ person: { id: string; name: string }; counts: Record<string, number> }>;
    assert.ok(files.length > 2, 'every person the rooms name, and those who acted');
    const mine = files.find((f) => f.person.id === PEOPLE.member.id);
    assert.ok(mine, 'the member who made the research visit has a file');
    assert.equal(mine.counts.researchVisits, 1);
    const member = await call(server(), path, { template, token: PEOPLE.member.token });
    assert.equal(member.status, 200);
    assert.deepEqual((member.body!.files as Array<{ person: { id: string } }>).map((f) => f.person.id), [PEOPLE.member.id]);
    for (const other of files.filter((f) => f.person.id !== PEOPLE.member.id)) {
      assert.ok(!member.text.includes(other.person.name), `the member's answer holds no ${other.person.name}`);
    }
    assert.equal((await call(server(), path, { template, token: PEOPLE.resident.token })).status, 403);
    assert.equal((await call(server(), path, { template, token: PEOPLE.department.token })).status, 403);
    assert.equal((await call(server(), path, { template })).status, 401);
  });
}, { clock: () => new Date(clock) });
