// One saga instance: its steps as a timeline, its data, its journal, and what an operator can do.

import { ApiError, call, get } from './api.js';
import { clock, h, isoDuration, nothing, s, statusBadge, took, update, when } from './dom.js';

const TERMINAL = new Set(['COMPLETED', 'COMPENSATED']);

/** What each journal event says about the step it names, in the order they can happen. */
const STEP_STATE = {
  StepCommandSent: (entry) => (/ compensation /.test(entry.detail) ? 'compensating' : 'running'),
  StepRetryScheduled: () => 'retrying',
  StepTimedOut: () => 'timed out',
  MessageAwaited: () => 'waiting',
  MessageCorrelated: () => 'received',
  ReceiveTimedOut: () => 'timed out',
  StepCompleted: () => 'completed',
  StepFailed: () => 'failed',
  StepCompensated: () => 'compensated',
  IncidentRaised: () => 'incident',
  IncidentClosed: () => 'incident closed',
};

export function mount(main, [key, definition], { confirm, refreshSoon }) {
  const plans = new Map();
  const regions = {
    header: h('div'),
    actions: h('div'),
    outcome: h('p', { class: 'outcome', role: 'status', 'aria-live': 'polite' }),
    timeline: h('div'),
    waiting: h('div'),
    data: h('div'),
    journal: h('div'),
  };
  main.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/sagas' }, 'Sagas'), ' / ', definition),
    h('h1', {}, key),
    regions.header,
    h('section', { class: 'panel actions', 'aria-labelledby': 'actions-title' },
      h('h2', { id: 'actions-title' }, 'Operator actions'), regions.actions, regions.outcome),
    h('section', { class: 'panel', 'aria-labelledby': 'steps-title' },
      h('h2', { id: 'steps-title' }, 'Steps'), regions.timeline, regions.waiting),
    h('div', { class: 'columns data-journal' },
      h('section', { class: 'panel', 'aria-labelledby': 'data-title' }, h('h2', { id: 'data-title' }, 'Saga data'), regions.data),
      h('section', { class: 'panel', 'aria-labelledby': 'journal-title' }, h('h2', { id: 'journal-title' }, 'Journal events'), regions.journal)));

  let saga = null;
  regions.actions.addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button || !saga) return;
    const action = button.dataset.action;
    const question = QUESTIONS[action](saga);
    if (!(await confirm(question))) return;
    regions.outcome.textContent = `${question.action}…`;
    try {
      // A resolution names the incident shown, so that it cannot resolve a later one.
      const meant = action !== 'cancel' && saga.incident && saga.incident.raisedAt ? `?incident=${encodeURIComponent(saga.incident.raisedAt)}` : '';
      const answer = await call(`sagas/${encodeURIComponent(key)}/${encodeURIComponent(definition)}/${action}${meant}`, { method: 'POST' });
      regions.outcome.textContent = `${question.action}: accepted (${answer.status}${answer.answeredBy ? ` by ${answer.answeredBy}` : ''}). The saga moves on shortly.`;
      regions.outcome.className = 'outcome ok';
    } catch (error) {
      regions.outcome.textContent = `${question.action} refused: ${error.message}`;
      regions.outcome.className = 'outcome error';
    }
    refreshSoon();
  });

  return {
    async refresh() {
      let answer;
      try {
        answer = await call(`sagas/${encodeURIComponent(key)}/${encodeURIComponent(definition)}`);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) {
          update(regions.header, h('p', { class: 'warning' }, `No saga ${definition} on key ${key} (yet).`));
          return;
        }
        throw error;
      }
      saga = answer.body;
      const planKey = `${saga.definition}/${saga.version}`;
      if (!plans.has(planKey)) plans.set(planKey, (await get(`definitions/${encodeURIComponent(saga.definition)}/${saga.version}`)).plan);
      const plan = plans.get(planKey);
      update(regions.header, header(saga, answer.answeredBy));
      update(regions.actions, actions(saga));
      update(regions.timeline, timeline(saga, plan));
      update(regions.waiting, waiting(saga));
      update(regions.data, h('pre', { class: 'json', tabindex: '0', 'aria-label': 'Saga data as JSON' }, JSON.stringify(saga.data, null, 2)));
      update(regions.journal, journal(saga));
    },
  };
}

const QUESTIONS = {
  retry: (saga) => ({
    title: `Retry ${saga.incident.step}?`,
    text: `Sends step ${saga.incident.step} of saga ${saga.key} again, as a new attempt. Do this once the participant can take it.`,
    action: 'Retry the step',
  }),
  skip: (saga) => ({
    title: `Skip ${saga.incident.step}?`,
    text: `Treats step ${saga.incident.step} of saga ${saga.key} as done without it, and moves on. Whatever it should have done must be done by hand.`,
    action: 'Skip the step',
  }),
  cancel: (saga) => ({
    title: `Cancel saga ${saga.key}?`,
    text: `Stops ${saga.definition} on ${saga.key} and undoes its completed steps in reverse order. This cannot be taken back.`,
    action: 'Cancel the saga',
  }),
};

function header(saga, answeredBy) {
  return [
    h('dl', { class: 'facts' },
      fact('Status', statusBadge(saga.status)),
      fact('Definition', h('a', { href: `#/definitions/${encodeURIComponent(saga.definition)}/${saga.version}` }, `${saga.definition} v${saga.version}`)),
      fact('Started', when(saga.startedAt)),
      fact('Last change', when(saga.updatedAt)),
      fact('Took', took(Date.parse(TERMINAL.has(saga.status) ? saga.updatedAt : new Date().toISOString()) - Date.parse(saga.startedAt))),
      fact('Answered by', answeredBy ? h('code', {}, answeredBy) : 'this node')),
    saga.stale
      ? h('p', { class: 'warning', id: 'stale' }, 'Answered from a standby replica: the owner of this key is away or moving, so this may lag a moment behind.')
      : h('p', { class: 'hint', id: 'fresh' }, 'Answered by the owner of the key.'),
  ];
}

function fact(term, value) {
  return [h('dt', {}, term), h('dd', {}, value)];
}

function actions(saga) {
  const buttons = [];
  if (saga.incident) {
    buttons.push(h('button', { type: 'button', class: 'primary', 'data-action': 'retry', 'data-focus': 'retry' }, 'Retry…'));
    buttons.push(h('button', { type: 'button', 'data-action': 'skip', 'data-focus': 'skip' }, 'Skip…'));
  }
  if (saga.status === 'RUNNING' || saga.status === 'WAITING') {
    buttons.push(h('button', { type: 'button', class: 'danger', 'data-action': 'cancel', 'data-focus': 'cancel' }, 'Cancel saga…'));
  }
  return [
    saga.incident
      ? h('div', { class: 'incident-box', role: 'alert' },
        h('strong', {}, `Incident at ${saga.incident.step}`),
        ` after ${saga.incident.attempts} ${saga.incident.attempts === 1 ? 'attempt' : 'attempts'}: `,
        // error is null when the participant gave no message.
        saga.incident.error
          ? h('span', { class: 'error-text' }, saga.incident.error)
          : h('span', { class: 'muted' }, 'no message from the participant'))
      : null,
    buttons.length ? h('div', { class: 'buttons' }, buttons) : h('p', { class: 'muted' }, TERMINAL.has(saga.status) ? 'The saga has ended: nothing to do.' : 'Nothing to do: no incident, and the saga is already being undone.'),
    buttons.length ? h('p', { class: 'hint' }, 'Each action asks first, and needs the operator role.') : null,
  ];
}

/** The step a history entry belongs to: its detail starts with the step's name. */
function stepOf(entry, names) {
  let best = null;
  for (const name of names) {
    if ((entry.detail === name || entry.detail.startsWith(`${name} `)) && (!best || name.length > best.length)) best = name;
  }
  return best;
}

function flatten(plan) {
  return plan.flatMap((step) => [step, ...(step.branches || [])]);
}

function timeline(saga, plan) {
  const names = flatten(plan).map((step) => step.name);
  const byStep = new Map(names.map((name) => [name, []]));
  for (const entry of saga.history) {
    const step = stepOf(entry, names);
    if (step) byStep.get(step).push(entry);
  }
  const started = Date.parse(saga.startedAt);
  const row = (step, index) => stepRow(saga, step, index, byStep, started);
  return h('ol', { class: 'timeline' }, plan.map((step, index) => step.kind === 'parallel'
    ? h('li',
      { class: 'step parallel', 'data-step': step.name },
      h('div', { class: 'step-head' }, h('span', { class: 'step-index' }, index + 1), h('strong', {}, step.name), h('span', { class: 'kind' }, 'parallel')),
      h('ol', { class: 'branches' }, step.branches.map((branch) => row(branch, null))))
    : row(step, index)));
}

function stepRow(saga, step, index, byStep, started) {
  const events = byStep.get(step.name) || [];
  let state = 'pending';
  for (const entry of events) if (STEP_STATE[entry.event]) state = STEP_STATE[entry.event](entry);
  if (saga.incident && saga.incident.step === step.name) state = 'incident';
  const sent = events.filter((e) => e.event === 'StepCommandSent');
  const actionTries = sent.filter((e) => / action /.test(e.detail)).length;
  const compensationTries = sent.filter((e) => / compensation /.test(e.detail)).length;
  const replies = events.filter((e) => e.event === 'StepReplyReceived').length;
  const retries = events.filter((e) => e.event === 'StepRetryScheduled').length;
  const timeouts = events.filter((e) => e.event === 'StepTimedOut' || e.event === 'ReceiveTimedOut').length;
  const first = events.length ? Date.parse(events[0].at) : null;
  const last = events.length ? Date.parse(events[events.length - 1].at) : null;
  const open = ['running', 'retrying', 'waiting', 'compensating', 'timed out'].includes(state);
  const duration = first === null ? '' : open ? `running for ${took(Date.now() - first)}` : took(last - first);
  const what = step.kind === 'receive'
    ? `waits for ${step.message}${step.timeout ? ` up to ${isoDuration(step.timeout)}, then ${step.onTimeout}` : ''}`
    : `${step.topic}${step.compensationTopic ? `, undone on ${step.compensationTopic}` : ', nothing to undo'}`;
  const counts = [
    actionTries && `${actionTries} ${actionTries === 1 ? 'attempt' : 'attempts'}`,
    replies && `${replies} ${replies === 1 ? 'reply' : 'replies'}`,
    retries && `${retries} ${retries === 1 ? 'retry' : 'retries'}`,
    timeouts && `${timeouts} timed out`,
    compensationTries && `${compensationTries} compensation ${compensationTries === 1 ? 'attempt' : 'attempts'}`,
  ].filter(Boolean);
  return h('li', { class: ['step', `state-${state.replace(' ', '-')}`], 'data-step': step.name },
    h('div', { class: 'step-head' },
      index === null ? null : h('span', { class: 'step-index' }, index + 1),
      h('strong', {}, step.name),
      h('span', { class: 'kind' }, step.kind),
      h('span', { class: ['state', `state-${state.replace(' ', '-')}`] }, state),
      h('span', { class: 'duration' }, duration)),
    first === null ? null : span(saga, events, open),
    h('div', { class: 'step-what' }, what),
    counts.length ? h('div', { class: 'step-counts' }, counts.join(' · ')) : null,
    events.length
      ? h('details', { class: 'step-events' },
        h('summary', {}, `${events.length} ${events.length === 1 ? 'event' : 'events'}`),
        h('ol', {}, events.map((e) => h('li', {},
          h('span', { class: 'offset' }, `+${took(Date.parse(e.at) - started)}`), ' ',
          h('code', {}, e.event), ' ', e.detail))))
      : null);
}

/**
 * When the step ran within the saga's life, as bars: its action, then its compensation. Steps that
 * overlap (parallel branches) or stall (retries, timeouts, an incident) show at a glance.
 */
function span(saga, events, open) {
  const start = Date.parse(saga.startedAt);
  const end = Math.max(TERMINAL.has(saga.status) ? Date.parse(saga.updatedAt) : Date.now(), start + 1);
  const undoing = events.findIndex((e) => e.event === 'StepCommandSent' && / compensation /.test(e.detail));
  const parts = undoing < 0 ? [['span-bar', events]] : [['span-bar', events.slice(0, undoing)], ['span-undo', events.slice(undoing)]];
  const bar = ([kind, part], index) => {
    if (!part.length) return null;
    const from = Date.parse(part[0].at);
    const last = index === parts.length - 1 && open ? end : Date.parse(part[part.length - 1].at);
    const x = (100 * (from - start)) / (end - start);
    const width = Math.min(Math.max(0.6, (100 * (last - from)) / (end - start)), 100 - x);
    return s('rect', { class: kind, x: x.toFixed(2), y: 0, width: width.toFixed(2), height: 4 });
  };
  return s('svg', { class: 'span', viewBox: '0 0 100 4', preserveAspectRatio: 'none', 'aria-hidden': 'true' },
    s('rect', { class: 'span-track', x: 0, y: 0, width: 100, height: 4 }),
    parts.map(bar));
}

function waiting(saga) {
  if (!saga.inFlight.length && !saga.timers.length && !saga.waitingFor) return '';
  return h('div', { class: 'waiting' },
    h('h3', {}, 'Waiting for'),
    h('ul', {},
      saga.waitingFor ? h('li', {}, 'message ', h('code', {}, saga.waitingFor)) : null,
      saga.inFlight.map((c) => h('li', {}, 'reply to ', h('code', {}, c.commandId.slice(saga.sagaId.length + 1)), `, attempt ${c.attempt}, until `, h('time', { datetime: c.deadline }, clock(c.deadline)))),
      saga.timers.map((t) => h('li', {}, 'timer ', h('code', {}, t.kind), ' due ', h('time', { datetime: t.dueAt }, clock(t.dueAt)), ` (${dueIn(t.dueAt)})`))));
}

function dueIn(iso) {
  const millis = Date.parse(iso) - Date.now();
  return millis >= 0 ? `in ${took(millis)}` : `${took(-millis)} overdue`;
}

function journal(saga) {
  if (!saga.history.length) return nothing('No events yet.');
  return [
    h('div', { class: 'scroll journal' }, h('table', {},
      h('thead', {}, h('tr', {}, ['#', 'At', 'Event', 'Detail'].map((title) => h('th', { scope: 'col' }, title)))),
      h('tbody', {}, saga.history.map((e) => h('tr', {},
        h('td', { class: 'num' }, e.sequence), h('td', {}, h('time', { datetime: e.at, title: e.at }, clock(e.at))),
        h('td', {}, h('code', {}, e.event)), h('td', {}, e.detail)))))),
    h('p', { class: 'hint' }, 'The latest events the instance keeps; the journal topic keeps them all.'),
  ];
}
