// The list of instances: searched by key, definition, status and age, a page at a time.

import { get } from './api.js';
import { h, nothing, sagaHref, statusBadge, update, when } from './dom.js';

const PAGE_SIZE = 25;
const STATUSES = ['RUNNING', 'WAITING', 'COMPENSATING', 'COMPLETED', 'COMPENSATED', 'FAILED'];
const AGES = [
  ['', 'any age'],
  ['5m', 'started in the last 5 minutes'],
  ['1h', 'started in the last hour'],
  ['24h', 'started in the last 24 hours'],
  ['old1h', 'started over an hour ago'],
  ['old24h', 'started over a day ago'],
];
const AGE_MILLIS = { '5m': 300e3, '1h': 3600e3, '24h': 86400e3, old1h: 3600e3, old24h: 86400e3 };

function filterFrom(query) {
  const params = new URLSearchParams(query || '');
  return {
    key: params.get('key') || '',
    definition: params.get('definition') || '',
    status: params.get('status') || '',
    age: params.get('age') || '',
  };
}

/** The API's query for a filter; the age becomes a start-time bound as of now. */
function apiQuery(filter, cursor) {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (filter.key) query.set('keyPrefix', filter.key);
  if (filter.definition) query.set('definition', filter.definition);
  if (filter.status) query.set('status', filter.status);
  if (filter.age) {
    const bound = new Date(Date.now() - AGE_MILLIS[filter.age]).toISOString();
    query.set(filter.age.startsWith('old') ? 'startedBefore' : 'startedAfter', bound);
  }
  if (cursor) query.set('cursor', cursor);
  return query.toString();
}

export function mount(main, [query]) {
  let filter = filterFrom(query);
  // Cursors of the pages before this one, to go back; the API pages forward only.
  const previous = [];
  let cursor = null;
  let nextCursor = null;

  const definitionSelect = h('select', { name: 'definition', id: 'filter-definition' }, h('option', { value: '' }, 'all definitions'));
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Search sagas' },
    h('label', {}, 'Key starts with', h('input', { name: 'key', type: 'search', value: filter.key, placeholder: 'e.g. order-4', autocomplete: 'off', id: 'filter-key' })),
    h('label', {}, 'Definition', definitionSelect),
    h('label', {}, 'Status', h('select', { name: 'status', id: 'filter-status' },
      h('option', { value: '' }, 'any status'),
      STATUSES.map((st) => h('option', { value: st, selected: st === filter.status }, st.toLowerCase())))),
    h('label', {}, 'Age', h('select', { name: 'age', id: 'filter-age' },
      AGES.map(([value, label]) => h('option', { value, selected: value === filter.age }, label)))),
    h('button', { type: 'submit', class: 'primary' }, 'Search'));
  const results = h('div', { 'aria-live': 'polite' });
  const pager = h('div', { class: 'pager' });
  main.append(h('h1', {}, 'Sagas'), form, results, pager);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    filter = { key: data.get('key').trim(), definition: data.get('definition'), status: data.get('status'), age: data.get('age') };
    previous.length = 0;
    cursor = null;
    // replaceState, not a new hash: a hashchange would rebuild the page and move the focus.
    const shown = new URLSearchParams(Object.entries(filter).filter(([, v]) => v)).toString();
    history.replaceState(null, '', `#/sagas${shown ? `?${shown}` : ''}`);
    view.refresh();
  });

  let definitionsLoaded = false;
  const view = {
    async refresh() {
      if (!definitionsLoaded) {
        const names = [...new Set((await get('definitions')).map((d) => d.name))];
        definitionSelect.append(...names.map((name) => h('option', { value: name, selected: name === filter.definition }, name)));
        definitionsLoaded = true;
      }
      const page = await get(`sagas?${apiQuery(filter, cursor)}`);
      nextCursor = page.nextCursor;
      update(results, table(page, filter));
      update(pager,
        h('button', { type: 'button', 'data-focus': 'previous', disabled: previous.length === 0, 'data-page': 'previous' }, '← Previous page'),
        h('span', { class: 'muted' }, `Page ${previous.length + 1}`),
        h('button', { type: 'button', 'data-focus': 'next', disabled: !nextCursor, 'data-page': 'next' }, 'Next page →'));
    },
  };
  // One listener for the pager: its buttons are rebuilt by polling.
  pager.addEventListener('click', (event) => {
    const button = event.target.closest('button');
    if (!button || button.disabled) return;
    if (button.dataset.page === 'next' && nextCursor) {
      previous.push(cursor);
      cursor = nextCursor;
    } else if (button.dataset.page === 'previous' && previous.length) {
      cursor = previous.pop();
    }
    view.refresh();
  });
  return view;
}

function table(page, filter) {
  const moving = (page.missingPartitions || []).length && !page.unanswered.length
    ? `partitions ${page.missingPartitions.join(', ')} are moving between nodes; their sagas are missing.`
    : null;
  const partial = page.unanswered.length || moving
    ? h('p', { class: 'warning' }, page.unanswered.length
      ? `Partial: no answer from ${page.unanswered.join(', ')}; their sagas are missing.`
      : `Partial: ${moving}`)
    : null;
  const unreadable = (page.unreadable || []).length
    ? h('p', { class: 'warning' }, `Unreadable by their node: ${page.unreadable.map((u) => `${u.key} (${u.definition}): ${u.reason}`).join('; ')}`)
    : null;
  if (!page.sagas.length) {
    const any = filter.key || filter.definition || filter.status || filter.age;
    // The nodes look at so many instances per page: an empty page with a cursor is not the end.
    const text = page.nextCursor
      ? 'No saga on this page matches this search; later pages may hold some.'
      : any ? 'No saga matches this search.' : 'No saga has been started yet.';
    return [partial, unreadable, nothing(text)];
  }
  return [partial, unreadable, h('div', { class: 'scroll' }, h('table', { class: 'sagas' },
    h('caption', { class: 'visually-hidden' }, 'Sagas in key order'),
    h('thead', {}, h('tr', {},
      ['Key', 'Definition', 'Version', 'Status', 'Started', 'Last change'].map((title) => h('th', { scope: 'col' }, title)))),
    h('tbody', {}, page.sagas.map((saga) => h('tr', { class: saga.incident ? 'has-incident' : '' },
      h('th', { scope: 'row' }, h('a', { href: sagaHref(saga.key, saga.definition) }, saga.key)),
      h('td', {}, saga.definition),
      h('td', {}, `v${saga.version}`),
      h('td', {}, statusBadge(saga.status), saga.incident ? h('span', { class: 'badge incident' }, 'incident') : null),
      h('td', {}, when(saga.startedAt)),
      h('td', {}, when(saga.updatedAt)))))))];
}
