// Turns a bot message's plain text into DOM nodes, never into markup: every piece of text goes
// in through textContent, and only http(s) addresses become links.
//
// What the assistant's answers use: line breaks, lists whose lines start with "- ", "• " or
// "* ", numbered lines ("1. ..."), the source line "Kilde: https://..., https://...", and
// **bold** or *emphasis* in a few texts.

const URL_PATTERN = /https?:\/\/[^\s<>"'«»]+/g;
// Punctuation that ends a sentence, not the address.
const TRAILING = /[.,;:!?)\]]+$/;
const BULLET = /^\s*[-•*]\s+/;
const EMPHASIS = /\*\*([^*\n]+?)\*\*|\*([^*\s][^*\n]*?)\*/g;

export function safeUrl(candidate) {
  try {
    const url = new URL(candidate);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

function link(doc, address, texts) {
  const href = safeUrl(address);
  if (!href) return doc.createTextNode(address);
  const a = doc.createElement("a");
  a.href = href;
  a.target = "_blank";
  a.rel = "noopener noreferrer";
  a.textContent = address;
  const hint = doc.createElement("span");
  hint.className = "visually-hidden";
  hint.textContent = ` ${texts.newTab}`;
  a.append(hint);
  return a;
}

function emphasis(doc, text) {
  const nodes = [];
  let last = 0;
  for (const match of text.matchAll(EMPHASIS)) {
    if (match.index > last) nodes.push(doc.createTextNode(text.slice(last, match.index)));
    const element = doc.createElement(match[1] !== undefined ? "strong" : "em");
    element.textContent = match[1] !== undefined ? match[1] : match[2];
    nodes.push(element);
    last = match.index + match[0].length;
  }
  if (last < text.length) nodes.push(doc.createTextNode(text.slice(last)));
  return nodes;
}

// One line's inline content: links and emphasis.
export function inline(doc, line, texts) {
  const nodes = [];
  let last = 0;
  for (const match of line.matchAll(URL_PATTERN)) {
    let address = match[0];
    const trailing = address.match(TRAILING);
    if (trailing) address = address.slice(0, -trailing[0].length);
    nodes.push(...emphasis(doc, line.slice(last, match.index)));
    nodes.push(link(doc, address, texts));
    last = match.index + address.length;
  }
  nodes.push(...emphasis(doc, line.slice(last)));
  return nodes;
}

// The whole text: paragraphs for lines, <ul> for runs of bullet lines.
export function formatText(doc, text, texts) {
  const fragment = doc.createDocumentFragment();
  let list = null;
  for (const line of String(text).split("\n")) {
    if (BULLET.test(line)) {
      if (!list) {
        list = doc.createElement("ul");
        fragment.append(list);
      }
      const item = doc.createElement("li");
      item.append(...inline(doc, line.replace(BULLET, ""), texts));
      list.append(item);
      continue;
    }
    list = null;
    if (!line.trim()) continue;
    const paragraph = doc.createElement("p");
    paragraph.append(...inline(doc, line, texts));
    fragment.append(paragraph);
  }
  return fragment;
}

// A file name safe to offer for download.
export function safeFilename(name) {
  return typeof name === "string" && /^[\w.-]{1,120}$/.test(name) && !name.startsWith(".")
    ? name
    : "utkast.md";
}
