// The first page: how the group is doing now, and in the last minutes.

import { get } from './api.js';
import { count, h, nothing, percent, s, sagaHref, sagasHref, statusBadge, took, update, when } from './dom.js';

const STATUSES = ['RUNNING', 'WAITING', 'COMPENSATING', 'COMPLETED', 'COMPENSATED', 'FAILED'];
const OPEN = new Set(['RUNNING', 'WAITING', 'COMPENSATING', 'FAILED']);

export function mount(main) {
  const regions = {
    figures: h('div', { class: 'figures' }),
    activity: h('div'),
    instances: h('div'),
    incidents: h('div'),
    deadLetters: h('div'),
    nodes: h('div'),
    partial: h('div'),
  };
  main.append(
    h('h1', {}, 'Overview'),
    regions.partial,
    regions.figures,
    h('section', { class: 'panel', 'aria-labelledby': 'activity-title' },
      h('h2', { id: 'activity-title' }, 'Sagas started and ended, last 10 minutes'),
      regions.activity),
    // Seven columns (a definition and six statuses) need the whole width: half of a laptop screen
    // cut off the last two.
    h('section', { class: 'panel', 'aria-labelledby': 'instances-title' },
      h('h2', { id: 'instances-title' }, 'Sagas by definition and status'),
      regions.instances),
    h('div', { class: 'columns' },
      h('section', { class: 'panel', 'aria-labelledby': 'incidents-title' },
        h('h2', { id: 'incidents-title' }, 'Open incidents'),
        regions.incidents),
      h('section', { class: 'panel', 'aria-labelledby': 'dead-title' },
        h('h2', { id: 'dead-title' }, 'Dead letters'),
        regions.deadLetters)),
    h('section', { class: 'panel', 'aria-labelledby': 'nodes-title' },
      h('h2', { id: 'nodes-title' }, 'Nodes and their partitions'),
      regions.nodes));

  return {
    async refresh() {
      const [figures, nodes, incidents] = await Promise.all([
        get('overview'),
        get('nodes'),
        get('sagas?status=FAILED&limit=10'),
      ]);
      const unanswered = [...new Set([...figures.unanswered, ...incidents.unanswered])];
      update(regions.partial, unanswered.length
        ? h('p', { class: 'warning', role: 'status' }, `Partial: no answer from ${unanswered.join(', ')}; their figures are missing.`)
        : '');
      update(regions.figures, ...headlineFigures(figures, incidents));
      update(regions.activity, activityChart(figures.activity));
      update(regions.instances, instanceTable(figures.instances));
      update(regions.incidents, incidentList(incidents));
      update(regions.nodes, nodeTable(nodes));
      update(regions.deadLetters, deadLetterTable(figures.deadLetters));
    },
  };
}

function sum(buckets, field, lastBuckets = buckets.length) {
  return buckets.slice(-lastBuckets).reduce((total, b) => total + b[field], 0);
}

function headlineFigures(figures, incidents) {
  const open = figures.instances.filter((c) => OPEN.has(c.status)).reduce((t, c) => t + c.count, 0);
  const recent = figures.activity;
  // The bucket still filling is left out of the rate, so the rate does not sag every 10 s.
  const whole = recent.slice(0, -1);
  const lastFive = whole.slice(-30);
  const ended = sum(whole, 'completed') + sum(whole, 'compensated') + sum(whole, 'failed');
  const failedOrUndone = sum(whole, 'compensated') + sum(whole, 'failed');
  const deadLetters = Object.values(figures.deadLetters).reduce((t, n) => t + n, 0);
  const lateness = figures.timerLateness;
  const openIncidents = incidents.sagas.length + (incidents.nextCursor ? '+' : '');
  return [
    figure('Open sagas', count(open), 'running, waiting, compensating or failed, as of the last scan'),
    figure('Started per minute', (sum(lastFive, 'started') / 5).toFixed(1), 'average of the last 5 minutes'),
    figure('Ended per minute', (ended / 10).toFixed(1), 'completed, compensated or failed, last 10 minutes'),
    figure('Failure rate', percent(failedOrUndone, ended), 'of the sagas ended in the last 10 minutes, compensated or failed'),
    figure('Open incidents', openIncidents, 'failed sagas waiting for an operator', incidents.sagas.length ? 'alert' : ''),
    figure('Dead letters', count(deadLetters), 'inputs set aside since the nodes started', deadLetters ? 'warn' : ''),
    figure('Timer lateness', lateness.count ? took(lateness.maxMillis) : '–',
      lateness.count ? `max of the last minute; mean ${took(lateness.meanMillis)} over ${count(lateness.count)} timers` : 'no timer has fired yet'),
    figure('Timers pending', count(figures.timersPending), 'timeouts, retries and deadlines waiting to fire'),
  ];
}

function figure(label, value, explanation, tone) {
  return h('div', { class: ['figure', tone] },
    h('div', { class: 'figure-value' }, value),
    h('div', { class: 'figure-label' }, label),
    h('div', { class: 'figure-hint' }, explanation));
}

/** Stacked bars of sagas ended per 10 s (completed, compensated, failed), and a line of starts. */
function activityChart(buckets) {
  const width = 600;
  const height = 120;
  const slot = width / buckets.length;
  const top = Math.max(1, ...buckets.map((b) => Math.max(b.started, b.completed + b.compensated + b.failed)));
  const y = (n) => height - (n / top) * (height - 4);
  const bars = buckets.flatMap((b, i) => {
    let base = height;
    return ['completed', 'compensated', 'failed'].map((kind) => {
      const tall = (b[kind] / top) * (height - 4);
      base -= tall;
      return tall > 0
        ? s('rect', { class: `bar-${kind}`, x: (i * slot + 1).toFixed(1), y: base.toFixed(1), width: (slot - 2).toFixed(1), height: tall.toFixed(1) })
        : null;
    });
  });
  const line = buckets.map((b, i) => `${i ? 'L' : 'M'}${(i * slot + slot / 2).toFixed(1)},${y(b.started).toFixed(1)}`).join(' ');
  const started = sum(buckets, 'started');
  const ended = sum(buckets, 'completed') + sum(buckets, 'compensated') + sum(buckets, 'failed');
  const summary = `${count(started)} started and ${count(ended)} ended in the last 10 minutes; `
    + `${count(sum(buckets, 'compensated'))} compensated, ${count(sum(buckets, 'failed'))} failed. Busiest 10 seconds: ${count(top)}.`;
  return h('figure', { class: 'chart' },
    s('svg', { viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': summary },
      s('line', { class: 'axis', x1: 0, y1: height - 0.5, x2: width, y2: height - 0.5 }),
      bars,
      s('path', { class: 'line-started', d: line })),
    h('div', { class: 'chart-axis' }, h('span', {}, '10 min ago'), h('span', {}, `peak ${count(top)} per 10 s`), h('span', {}, 'now')),
    h('figcaption', {},
      h('span', { class: 'key key-started' }, 'started'),
      h('span', { class: 'key key-completed' }, 'completed'),
      h('span', { class: 'key key-compensated' }, 'compensated'),
      h('span', { class: 'key key-failed' }, 'failed'),
      h('span', { class: 'chart-summary' }, summary)));
}

function instanceTable(counts) {
  if (!counts.length) return nothing('No saga instances yet (counted by each task\'s recovery scan).');
  const byDefinition = new Map();
  for (const c of counts) {
    if (!byDefinition.has(c.definition)) byDefinition.set(c.definition, {});
    byDefinition.get(c.definition)[c.status] = c.count;
  }
  return h('div', { class: 'scroll' }, h('table', {},
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Definition'), STATUSES.map((st) => h('th', { scope: 'col', class: 'num' }, statusBadge(st))))),
    h('tbody', {}, [...byDefinition].map(([definition, byStatus]) => h('tr', {},
      h('th', { scope: 'row' }, h('a', { href: sagasHref({ definition }) }, definition)),
      STATUSES.map((status) => h('td', { class: 'num' }, byStatus[status]
        ? h('a', { href: sagasHref({ definition, status }), 'aria-label': `${byStatus[status]} ${status.toLowerCase()} ${definition}` }, count(byStatus[status]))
        : h('span', { class: 'zero' }, '0'))))))),
  h('p', { class: 'hint' }, 'As of each task\'s last recovery scan.'));
}

function incidentList(page) {
  if (!page.sagas.length) return nothing('None: no saga waits for an operator.');
  return [
    h('ul', { class: 'incidents' }, page.sagas.map((saga) => h('li', {},
      h('a', { href: sagaHref(saga.key, saga.definition) }, saga.key),
      ' ', h('span', { class: 'muted' }, saga.definition), ' ', statusBadge(saga.status), ' ',
      h('span', { class: 'muted' }, 'since '), when(saga.updatedAt)))),
    page.nextCursor ? h('p', {}, h('a', { href: sagasHref({ status: 'FAILED' }) }, 'All failed sagas')) : null,
  ];
}

/** Partition numbers of the input topics: each number is one task, whatever the topic. */
function tasks(partitions) {
  const numbers = [...new Set(partitions.map((p) => Number(p.slice(p.lastIndexOf('-') + 1))))];
  return numbers.sort((a, b) => a - b);
}

function nodeTable(nodes) {
  if (!nodes.length) return nothing('No node has joined the group yet.');
  return h('table', {},
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Node'), h('th', { scope: 'col' }, 'Active partitions'), h('th', { scope: 'col' }, 'Standby partitions'))),
    h('tbody', {}, nodes.map((node) => h('tr', {},
      h('th', { scope: 'row' }, h('code', {}, node.address)),
      h('td', { title: node.active.join(', ') }, tasks(node.active).join(', ') || '–'),
      h('td', { title: node.standby.join(', ') }, tasks(node.standby).join(', ') || '–')))));
}

function deadLetterTable(byReason) {
  const reasons = Object.entries(byReason);
  if (!reasons.length) return nothing('None since the nodes started.');
  return h('table', {},
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Reason'), h('th', { scope: 'col', class: 'num' }, 'Inputs'))),
    h('tbody', {}, reasons.map(([reason, n]) => h('tr', {}, h('td', {}, h('code', {}, reason)), h('td', { class: 'num' }, count(n))))));
}
