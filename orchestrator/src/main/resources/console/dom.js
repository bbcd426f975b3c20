// Small helpers to build the page from data. Everything goes through text nodes and attributes,
// never through HTML strings, so a saga key or an error message cannot inject markup.

const SVG = 'http://www.w3.org/2000/svg';

function build(element, attributes, children) {
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2), value);
    } else if (name === 'class' && Array.isArray(value)) {
      element.setAttribute('class', value.filter(Boolean).join(' '));
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

/** An HTML element: h('a', {href: '#/'}, 'Overview'). */
export function h(tag, attributes, ...children) {
  return build(document.createElement(tag), attributes, children);
}

/** An SVG element, for the charts. */
export function s(tag, attributes, ...children) {
  return build(document.createElementNS(SVG, tag), attributes, children);
}

/**
 * Puts `content` in `region` unless it shows the same thing already. Polling would otherwise
 * rebuild a region every few seconds, losing the keyboard focus and the reader's place; when it
 * must rebuild, the focus goes back to the element with the same data-focus name.
 */
export function update(region, ...content) {
  const next = h('div', {}, ...content);
  if (region.innerHTML === next.innerHTML) return;
  const focused = document.activeElement;
  const focusName = focused && region.contains(focused) ? focused.dataset.focus : undefined;
  region.replaceChildren(...next.childNodes);
  if (focusName) {
    const again = region.querySelector(`[data-focus="${CSS.escape(focusName)}"]`);
    if (again) again.focus();
  }
}

export function statusBadge(status) {
  return h('span', { class: ['badge', `status-${String(status).toLowerCase()}`] }, status);
}

const number = new Intl.NumberFormat('en');

export function count(value) {
  return number.format(value);
}

/** "3 s", "4 min", "2 h", "5 d": how long ago or how long, as a person reads it. */
export function span(millis) {
  const seconds = Math.max(0, Math.round(millis / 1000));
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  return `${Math.floor(seconds / 86400)} d`;
}

export function ago(iso) {
  return `${span(Date.now() - Date.parse(iso))} ago`;
}

/** A time with its age: the exact instant in the title, for whoever needs it. */
export function when(iso) {
  if (!iso) return '';
  return h('time', { datetime: iso, title: iso }, ago(iso));
}

export function clock(iso) {
  const at = new Date(iso);
  return `${at.toLocaleTimeString('en-GB', { hour12: false })}.${String(at.getMilliseconds()).padStart(3, '0')}`;
}

/** A duration in milliseconds, to the precision that matters. */
export function took(millis) {
  if (millis < 1000) return `${Math.round(millis)} ms`;
  if (millis < 60000) return `${(millis / 1000).toFixed(millis < 10000 ? 2 : 1)} s`;
  return span(millis);
}

/** ISO-8601 duration ("PT30S", "PT1H") as a person reads it. */
export function isoDuration(text) {
  if (!text) return '';
  const match = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(text);
  if (!match) return text;
  const [, hours, minutes, seconds] = match;
  return [hours && `${hours} h`, minutes && `${minutes} min`, seconds && `${Number(seconds)} s`]
    .filter(Boolean)
    .join(' ');
}

export function percent(part, whole) {
  if (!whole) return '–';
  return `${((100 * part) / whole).toFixed(part === 0 || part === whole ? 0 : 1)} %`;
}

/** An empty-state line inside a table or a list. */
export function nothing(text) {
  return h('p', { class: 'empty' }, text);
}

export function sagaHref(key, definition) {
  return `#/sagas/${encodeURIComponent(key)}/${encodeURIComponent(definition)}`;
}

export function sagasHref(filter) {
  const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v)).toString();
  return `#/sagas${query ? `?${query}` : ''}`;
}
