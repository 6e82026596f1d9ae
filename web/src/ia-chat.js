// <ia-chat>: the IA assistant's chat as a web component, for any page.
//
//   <script src="https://assistent.example/webchat/ia-chat.js" defer></script>
//   <ia-chat lang="nb"></ia-chat>
//
// It talks to the Rasa server the script came from (or the one in the `server` attribute) over
// Socket.IO (bot/webchat.py). The server makes the session id and a token for it; the page keeps
// both, and the rendered conversation, in sessionStorage, so the chat survives a reload and is
// gone when the tab is closed. Bot and user text go into the page through textContent only.
import { io } from "socket.io-client";
import css from "./ia-chat.css";
import { formatText, safeFilename } from "./format.js";
import { textsFor } from "./texts.js";

const SCRIPT_ORIGIN = (() => {
  try {
    return new URL(document.currentScript.src).origin;
  } catch {
    return window.location.origin;
  }
})();
const MAX_STORED = 200;
const GREETING = "/greet";

const ICON =
  '<svg aria-hidden="true" focusable="false" viewBox="0 0 24 24"><path fill="currentColor" d="M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2Z"/></svg>';

// The chat's fixed frame: no text from the bot or the user is ever part of this markup.
const FRAME = `
<div class="frame">
  <button type="button" class="launcher" aria-expanded="false" aria-controls="panel">${ICON}<span></span></button>
  <section class="panel" id="panel" role="dialog" aria-modal="false" aria-labelledby="title" hidden>
    <div class="header">
      <div class="header-text">
        <h2 class="title" id="title"></h2>
        <p class="subtitle"></p>
      </div>
      <button type="button" class="close"></button>
    </div>
    <p class="status" role="status"></p>
    <div class="log" role="log" aria-live="polite" tabindex="0"></div>
    <p class="typing" role="status"><span class="typing-text"></span> <span class="dots" aria-hidden="true"></span></p>
    <form class="composer" novalidate>
      <label for="input"></label>
      <p class="hint" id="hint"></p>
      <div class="row">
        <input id="input" class="input" type="text" autocomplete="off" aria-describedby="hint">
        <button type="submit" class="send"></button>
      </div>
    </form>
  </section>
</div>`;

function sheet() {
  try {
    const styles = new CSSStyleSheet();
    styles.replaceSync(css);
    return styles;
  } catch {
    return null;
  }
}

class IaChat extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    this.server = (this.getAttribute("server") || SCRIPT_ORIGIN).replace(/\/+$/, "");
    const lang = (this.getAttribute("lang") || document.documentElement.lang || "nb").toLowerCase();
    this.pageLang = /^[a-z]{2,3}$/.test(lang) ? lang : "nb";
    // The chat's own texts in nynorsk on a nynorsk page, else in bokmål.
    this.texts = textsFor(this.pageLang);
    this.storageKey = `ia-chat:${this.server}`;
    this.state = this.load();
    this.connected = false;
    this.wasOffline = false;
    // A message sent while the chat is away, sent when it is back: { text, shown, typed }.
    this.pending = null;

    const root = this.attachShadow({ mode: "open" });
    const styles = sheet();
    if (styles && "adoptedStyleSheets" in root) {
      root.adoptedStyleSheets = [styles];
    } else {
      const style = document.createElement("style");
      style.textContent = css;
      root.append(style);
    }
    const template = document.createElement("template");
    template.innerHTML = FRAME;
    root.append(template.content.cloneNode(true));
    root.querySelector(".frame").setAttribute("lang", this.pageLang === "nn" ? "nn" : "nb");
    const $ = (selector) => root.querySelector(selector);
    this.el = {
      launcher: $(".launcher"),
      panel: $(".panel"),
      close: $(".close"),
      status: $(".status"),
      log: $(".log"),
      typing: $(".typing"),
      typingText: $(".typing-text"),
      dots: $(".dots"),
      form: $(".composer"),
      input: $(".input"),
      send: $(".send"),
    };
    this.fillTexts(root);

    this.el.launcher.addEventListener("click", () => this.open(true));
    this.el.close.addEventListener("click", () => this.close());
    this.el.panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        this.close();
      }
    });
    this.el.form.addEventListener("submit", (event) => {
      event.preventDefault();
      const text = this.el.input.value.trim();
      if (text && this.send(text, text, true)) this.el.input.value = "";
    });

    this.restore();
    if (this.state.open) this.open(false);
  }

  disconnectedCallback() {
    if (this.socket) this.socket.close();
    this.socket = null;
  }

  fillTexts(root) {
    this.el.launcher.querySelector("span").textContent = this.texts.open;
    root.querySelector(".title").textContent = this.texts.title;
    root.querySelector(".subtitle").textContent = this.texts.subtitle;
    this.el.close.textContent = this.texts.closeShort;
    this.el.close.setAttribute("aria-label", this.texts.close);
    this.el.log.setAttribute("aria-label", this.texts.log);
    root.querySelector("label").textContent = this.texts.label;
    root.querySelector(".hint").textContent = this.texts.hint;
    this.el.send.textContent = this.texts.send;
    for (let i = 0; i < 3; i += 1) this.el.dots.append(document.createElement("span"));
  }

  // ----- state kept across page loads ----------------------------------------------------------
  load() {
    try {
      const stored = JSON.parse(window.sessionStorage.getItem(this.storageKey) || "null");
      if (stored && Array.isArray(stored.messages)) return stored;
    } catch {
      // No storage (private mode, blocked): the chat works for this page only.
    }
    return { sessionId: null, token: null, open: false, messages: [] };
  }

  save() {
    this.state.messages = this.state.messages.slice(-MAX_STORED);
    try {
      window.sessionStorage.setItem(this.storageKey, JSON.stringify(this.state));
    } catch {
      // As above.
    }
  }

  restore() {
    this.el.log.setAttribute("aria-busy", "true");
    for (const message of this.state.messages) this.render(message);
    this.el.log.setAttribute("aria-busy", "false");
    this.scrollDown();
  }

  // ----- opening and closing -------------------------------------------------------------------
  open(focus) {
    this.el.panel.hidden = false;
    this.el.launcher.hidden = true;
    this.el.launcher.setAttribute("aria-expanded", "true");
    this.state.open = true;
    this.save();
    this.connect();
    this.scrollDown();
    if (focus) this.el.input.focus();
  }

  close() {
    this.el.panel.hidden = true;
    this.el.launcher.hidden = false;
    this.el.launcher.setAttribute("aria-expanded", "false");
    this.state.open = false;
    this.save();
    this.el.launcher.focus();
  }

  // ----- the connection ------------------------------------------------------------------------
  connect() {
    if (this.socket) return;
    this.setStatus(this.texts.connecting);
    this.setSendable(false);
    const socket = io(this.server, {
      transports: ["websocket"],
      auth: (send) => send(this.state.token ? { token: this.state.token } : {}),
      reconnectionDelay: 1000,
      reconnectionDelayMax: 5000,
    });
    this.socket = socket;
    socket.on("connect", () => {
      socket.emit("session_request", { session_id: this.state.sessionId, metadata: { lang: this.pageLang } });
    });
    socket.on("session_confirm", (data) => this.confirmed(data));
    socket.on("bot_uttered", (message) => this.received(message));
    // The server did not take a message for this session: start a new one.
    socket.on("session_refused", () => {
      this.forgetSession();
      socket.disconnect().connect();
    });
    socket.on("disconnect", (reason) => {
      this.offline();
      // The server closed this connection on purpose: connect again (a new session if need be).
      if (reason === "io server disconnect") socket.connect();
    });
    socket.on("connect_error", (error) => {
      if (socket.active) {
        this.offline();
        return;
      }
      // The server refused the token (expired, or made with another key): a new session.
      if (error && error.message === "invalid_session") this.forgetSession();
      socket.connect();
    });
  }

  confirmed(data) {
    const sessionId = typeof data === "string" ? data : data && data.session_id;
    if (!sessionId) return;
    const fresh = sessionId !== this.state.sessionId;
    this.state.sessionId = sessionId;
    if (data && typeof data.token === "string") this.state.token = data.token;
    this.save();
    const back = !this.connected;
    const wasOffline = this.wasOffline;
    if (back) {
      this.connected = true;
      this.setSendable(true);
      this.setStatus(wasOffline ? this.texts.online : "");
      this.wasOffline = false;
    }
    // The server confirms the session again when it has answered a message: the turn is over.
    this.showTyping(false);
    if (fresh && this.state.messages.length === 0) this.emit(GREETING);
    if (back && this.sendPending()) this.setStatus(wasOffline ? this.texts.sentWhenBack : "");
  }

  // Sends the message the user sent while the chat was away. A typed one only if it is still in
  // the field as it was: the user may have changed or removed it since.
  sendPending() {
    const pending = this.pending;
    this.pending = null;
    if (!pending) return false;
    if (pending.typed) {
      if (this.el.input.value.trim() !== pending.shown) return false;
      this.el.input.value = "";
    }
    return this.send(pending.text, pending.shown);
  }

  offline() {
    this.connected = false;
    this.wasOffline = true;
    this.setSendable(false);
    this.showTyping(false);
    // Every failed attempt to reconnect comes here: a notice already given stays (the user is not
    // told "not available" again over what was said about the message they sent).
    if (!this.el.status.classList.contains("offline")) this.setStatus(this.texts.offline, true);
  }

  forgetSession() {
    this.state.sessionId = null;
    this.state.token = null;
    if (this.state.messages.length) this.add({ from: "note", text: this.texts.newSession });
    this.save();
  }

  setStatus(text, offline = false) {
    this.el.status.textContent = text;
    this.el.status.classList.toggle("offline", offline);
  }

  setSendable(sendable) {
    this.el.send.setAttribute("aria-disabled", String(!sendable));
  }

  // ----- messages ------------------------------------------------------------------------------
  emit(text) {
    this.socket.emit("user_uttered", {
      message: text,
      session_id: this.state.sessionId,
      metadata: { lang: this.pageLang },
    });
    this.showTyping(true);
  }

  // Sends `text` (a typed message if `typed`, or a button's payload), shown in the log as `shown`.
  // While the chat is away it is kept (a typed one stays in the field too) and sent when the chat
  // is back; the latest such message wins.
  send(text, shown, typed = false) {
    if (!this.connected || !this.state.sessionId) {
      this.pending = { text, shown, typed };
      if (this.wasOffline) this.setStatus(this.texts.queued, true);
      return false;
    }
    this.pending = null;
    this.setStatus("");
    this.retireReplies();
    this.add({ from: "user", text: shown });
    this.emit(text);
    return true;
  }

  received(message) {
    if (!message || typeof message !== "object") return;
    if (message.type === "document" && typeof message.content === "string") {
      this.add({
        from: "bot",
        document: { filename: safeFilename(message.filename), content: message.content },
      });
      return;
    }
    if (typeof message.text !== "string" || !message.text.trim()) return;
    const replies = Array.isArray(message.quick_replies)
      ? message.quick_replies
          .filter((r) => r && typeof r.title === "string" && typeof r.payload === "string")
          .map((r) => ({ title: r.title, payload: r.payload }))
      : [];
    this.add({ from: "bot", text: message.text, replies });
  }

  add(message) {
    this.state.messages.push(message);
    this.save();
    this.render(message);
    this.scrollDown();
  }

  // Quick replies answer the latest question only: older ones go when the user writes.
  retireReplies() {
    let moved = false;
    for (const message of this.state.messages) {
      if (message.replies && message.replies.length) message.replies = [];
    }
    for (const group of this.el.log.querySelectorAll(".replies")) {
      if (group.contains(this.shadowRoot.activeElement)) moved = true;
      group.remove();
    }
    if (moved) this.el.input.focus();
  }

  render(message) {
    const item = document.createElement("div");
    item.className = `message ${message.from}`;
    if (message.from === "note") {
      item.textContent = message.text;
      this.el.log.append(item);
      return;
    }
    const who = document.createElement("span");
    who.className = "visually-hidden";
    who.textContent = message.from === "user" ? this.texts.user : this.texts.bot;
    const bubble = document.createElement("div");
    bubble.className = "bubble";
    if (message.from === "user") {
      bubble.textContent = message.text;
    } else if (message.document) {
      bubble.append(this.downloadLink(message.document));
    } else {
      bubble.append(formatText(document, message.text, this.texts));
    }
    item.append(who, bubble);
    if (message.replies && message.replies.length) item.append(this.replyButtons(message.replies));
    this.el.log.append(item);
  }

  replyButtons(replies) {
    const group = document.createElement("div");
    group.className = "replies";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", this.texts.suggestions);
    for (const reply of replies) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "reply";
      button.textContent = reply.title;
      button.addEventListener("click", () => {
        if (this.send(reply.payload, reply.title)) this.el.input.focus();
      });
      group.append(button);
    }
    return group;
  }

  // The draft is offered from the text the server sent, as a file made here: nothing is fetched.
  downloadLink(file) {
    const blob = new Blob([file.content], { type: "text/markdown;charset=utf-8" });
    const a = document.createElement("a");
    a.className = "download";
    a.href = URL.createObjectURL(blob);
    a.download = file.filename;
    const label = document.createElement("span");
    label.textContent = this.texts.download;
    const detail = document.createElement("small");
    detail.textContent = `${file.filename} – ${this.texts.downloadHint}`;
    a.append(label, detail);
    return a;
  }

  // The typing line is a live region that is always there, so it is announced when it fills.
  showTyping(on) {
    this.el.typing.classList.toggle("on", on);
    this.el.typingText.textContent = on ? this.texts.typing : "";
  }

  scrollDown() {
    this.el.log.scrollTop = this.el.log.scrollHeight;
  }
}

if (!customElements.get("ia-chat")) customElements.define("ia-chat", IaChat);
