// Browser scenarios for the web chat in real headless Chromium, run by tests/test_web.py:
//
//   node web/test/chat.mjs <scenario> <page url> <expectations.json> <artefact folder>
//
// Each scenario exits 0 when every check held, or prints what failed and exits 1. The
// offline scenario asks the test that runs it to stop and start the Rasa server by printing
// "@stop-rasa" / "@start-rasa" and waits for a line on standard input once that is done.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { chromium } from "playwright-core";
import { textsFor } from "../src/texts.js";

// The chat's own texts on the demo page (lang="nb").
const TEXTS = textsFor("nb");

const [scenario, pageUrl, expectationsFile, artefacts] = process.argv.slice(2);
const expected = JSON.parse(readFileSync(expectationsFile, "utf-8"));
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
// Generous: the machine running the tests may be busy; no check measures time.
const WAIT = 300_000;

// ----- the browser -------------------------------------------------------------------------------
// Playwright starts Chromium with a fresh temporary profile (its own --user-data-dir) each time.
function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

async function newPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  page.problems = [];
  page.on("pageerror", (error) => page.problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") page.problems.push(`console error: ${message.text()}`);
  });
  page.on("dialog", (dialog) => {
    page.problems.push(`a dialog opened: ${dialog.message()}`);
    dialog.dismiss();
  });
  await page.goto(pageUrl);
  return page;
}

const shot = (page, name) => page.screenshot({ path: join(artefacts, `${name}.png`) });

// ----- the chat, as a user sees it -----------------------------------------------------------------
// Playwright's CSS locators reach into the chat's open shadow root.
const chat = (page) => ({
  launcher: page.locator("ia-chat .launcher"),
  panel: page.locator("ia-chat .panel"),
  input: page.locator("ia-chat .input"),
  status: page.locator("ia-chat .status"),
  log: page.locator("ia-chat .log"),
  bot: page.locator("ia-chat .message.bot"),
  user: page.locator("ia-chat .message.user"),
  replies: page.locator("ia-chat .reply"),
  download: page.locator("ia-chat a.download"),
});

// What has focus, inside the chat's shadow root if it is there.
const focused = (page) =>
  page.evaluate(() => {
    let element = document.activeElement;
    while (element && element.shadowRoot && element.shadowRoot.activeElement) {
      element = element.shadowRoot.activeElement;
    }
    return element ? { tag: element.tagName.toLowerCase(), cls: element.className, text: element.textContent.trim() } : null;
  });

// Text as read, with the words of a link's "(åpnes i ny fane)" and list markers left out.
const normal = (text) =>
  text
    .replace(/\((åpnes|blir opna) i ny fane\)/g, "")
    .replace(/^\s*[•*-]\s+/gm, "")
    .replace(/\s+/g, " ")
    .replace(/ ([,.;:])/g, "$1")
    .trim();

async function botTexts(page) {
  return (await chat(page).bot.locator(".bubble").allInnerTexts()).map(normal);
}

// Waits until the chat has answered: the typing indicator is gone and `count` bot messages more
// than `before` are there.
async function answered(page, before, count = 1) {
  await page.waitForFunction(
    (n) => {
      const root = document.querySelector("ia-chat").shadowRoot;
      return root.querySelectorAll(".message.bot").length >= n && !root.querySelector(".typing.on");
    },
    before + count,
    { timeout: WAIT },
  );
}

// Types `text` and presses Enter; resolves with the texts of the bot's answer.
async function ask(page, text) {
  const c = chat(page);
  const before = await c.bot.count();
  await c.input.fill(text);
  await c.input.press("Enter");
  await answered(page, before);
  return (await botTexts(page)).slice(before);
}

// Tabs through the page until `matches(focused element)`, at most `limit` times.
async function tabTo(page, matches, limit = 40, key = "Tab") {
  for (let i = 0; i < limit; i += 1) {
    await page.keyboard.press(key);
    if (matches(await focused(page))) return;
  }
  assert.fail(`${key} never reached the element wanted; focus is on ${JSON.stringify(await focused(page))}`);
}

// Opens the chat with the keyboard only and waits for the greeting.
async function openByKeyboard(page) {
  await tabTo(page, (f) => f && f.cls.includes("launcher"));
  await page.keyboard.press("Enter");
  await chat(page).panel.waitFor({ state: "visible" });
  const f = await focused(page);
  assert.equal(f.cls, "input", "after opening, focus is in the text field");
  await answered(page, 0);
}

function assertGreeting(texts) {
  assert.ok(texts[0].startsWith(normal(expected.greeting)), `the greeting: ${texts[0]}`);
}

// ----- scenarios ---------------------------------------------------------------------------------
const scenarios = {
  // Open by keyboard, ask, see the answer with its source links; markup the user types stays text.
  async question(browser) {
    const page = await newPage(browser);
    const c = chat(page);
    assert.equal(await c.panel.isVisible(), false, "the chat starts closed");
    assert.equal(await c.launcher.getAttribute("aria-expanded"), "false");
    await openByKeyboard(page);
    assertGreeting(await botTexts(page));
    assert.equal(await c.launcher.getAttribute("aria-expanded"), "true");

    const answer = await ask(page, expected.role.question);
    assert.deepEqual(answer, [normal(expected.role.text)]);
    const last = c.bot.last();
    for (const url of expected.role.sources) {
      const link = last.locator(`a[href="${url}"]`);
      assert.equal(await link.count(), 1, `a link to ${url}`);
      assert.equal(await link.getAttribute("target"), "_blank");
      assert.equal(await link.getAttribute("rel"), "noopener noreferrer");
    }
    assert.equal((await focused(page)).cls, "input", "focus stays in the text field");
    await shot(page, "question");

    // Markup from the user is shown as the characters typed and never runs.
    const markup = '<img src="x" onerror="window.__xss = 1"><b>fet</b>';
    await ask(page, markup);
    assert.equal(await c.user.last().locator(".bubble").textContent(), markup);
    assert.equal(await c.log.locator("img, b, script").count(), 0);
    assert.equal(await page.evaluate(() => window.__xss), undefined);

    // Escape closes the chat and gives focus back to the button that opened it.
    await page.keyboard.press("Escape");
    await c.panel.waitFor({ state: "hidden" });
    assert.equal((await focused(page)).cls, "launcher");
    assert.deepEqual(page.problems, []);
  },

  // A quick reply by mouse, then a reload: the conversation is still there and goes on.
  async reload(browser) {
    const page = await newPage(browser);
    const c = chat(page);
    await c.launcher.click();
    await answered(page, 0);
    const reply = c.replies.filter({ hasText: expected.greetingReply.title });
    const before = await c.bot.count();
    await reply.click();
    await answered(page, before);
    assert.equal(normal(await c.user.last().innerText()), `Du: ${expected.greetingReply.title}`);
    assert.deepEqual((await botTexts(page)).slice(before), [normal(expected.greetingReply.text)]);
    // The greeting's suggestions are gone once answered; the new answer has its own.
    assert.deepEqual(await c.replies.allInnerTexts(), expected.greetingReply.next);

    const history = await c.log.innerText();
    await page.reload();
    await c.panel.waitFor({ state: "visible" });
    assert.equal(await c.log.innerText(), history, "the same conversation after a reload");
    await c.status.waitFor({ state: "hidden" });
    // The server still knows the conversation: a follow-up is understood in it.
    const followUp = await ask(page, expected.followUp.question);
    assert.deepEqual(followUp, [normal(expected.followUp.text)]);
    await shot(page, "reload");
    assert.deepEqual(page.problems, []);
  },

  // The whole local-agreement dialogue, answers typed and picked by keyboard, and the draft saved.
  async agreement(browser) {
    const page = await newPage(browser);
    const c = chat(page);
    await openByKeyboard(page);
    const a = expected.agreement;
    let texts = await ask(page, a.start);
    assert.ok(texts.at(-1).startsWith(normal(a.first)), texts.at(-1));
    for (const [answer, next, how] of a.steps) {
      if (how === "button") {
        // A suggested answer, reached with Shift+Tab from the text field and pressed with Enter.
        const before = await c.bot.count();
        await tabTo(page, (f) => f && f.cls === "reply" && f.text === answer, 10, "Shift+Tab");
        await page.keyboard.press("Enter");
        await answered(page, before);
        assert.equal((await focused(page)).cls, "input", "after a suggestion, focus is in the text field");
        texts = (await botTexts(page)).slice(before);
      } else {
        texts = await ask(page, answer);
      }
      assert.ok(texts.at(-1).includes(normal(next)), `after «${answer}»: ${texts.at(-1)}`);
    }
    for (const line of a.summary) assert.ok(texts.at(-1).includes(line), line);
    await ask(page, a.confirm);
    await c.download.waitFor();
    assert.equal(await c.log.locator("b, script, img").count(), 0, "the workplace's markup is not rendered");
    await shot(page, "agreement");

    const [download] = await Promise.all([page.waitForEvent("download"), c.download.click()]);
    assert.equal(download.suggestedFilename(), a.filename);
    const content = await readFile(await download.path(), "utf-8");
    assert.ok(content.startsWith(a.contentStart), content.slice(0, 200));
    for (const line of a.content) assert.ok(content.includes(line), `${line}\n---\n${content}`);
    assert.deepEqual(page.problems, []);
  },

  // axe-core on the open chat, keyboard focus, reduced motion, 320 px and 200 % zoom.
  async accessibility(browser) {
    // bypassCSP lets axe-core in: the demo page allows no inline script.
    const page = await newPage(browser, { bypassCSP: true });
    const c = chat(page);
    await openByKeyboard(page);
    await ask(page, expected.role.question);
    await page.addScriptTag({ path: AXE });
    const results = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
    const serious = results.violations.filter((v) => ["serious", "critical"].includes(v.impact));
    const report = serious.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    assert.deepEqual(report, [], "axe-core: no serious or critical violations");
    // The log is a polite live region that was there before the first message came.
    assert.equal(await c.log.getAttribute("role"), "log");
    assert.equal(await c.log.getAttribute("aria-live"), "polite");

    // Focus is visible on a suggested answer.
    await tabTo(page, (f) => f && f.cls === "reply", 10, "Shift+Tab");
    const outline = await page.evaluate(() => {
      const style = getComputedStyle(document.querySelector("ia-chat").shadowRoot.activeElement);
      return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    assert.ok(outline.style !== "none" && outline.width >= 2, JSON.stringify(outline));

    // The typing dots move, but not for someone who asked for reduced motion.
    const dots = () => page.evaluate(() => {
      const dot = document.querySelector("ia-chat").shadowRoot.querySelector(".dots span");
      return getComputedStyle(dot).animationName;
    });
    assert.equal(await dots(), "ia-blink");
    await page.emulateMedia({ reducedMotion: "reduce" });
    assert.equal(await dots(), "none");
    await shot(page, "accessibility");

    // 320 px wide, and 1280 × 800 at 200 % zoom (640 × 400 CSS pixels): the chat fills the
    // screen, nothing scrolls sideways, and the text field and send button can be reached.
    for (const [name, viewport] of [["320px", { width: 320, height: 640 }], ["zoom-200", { width: 640, height: 400 }]]) {
      await page.setViewportSize(viewport);
      const box = await c.panel.boundingBox();
      assert.ok(box.x >= 0 && box.x + box.width <= viewport.width + 0.5, `${name}: panel ${JSON.stringify(box)}`);
      assert.ok(box.y >= 0 && box.y + box.height <= viewport.height + 0.5, `${name}: panel ${JSON.stringify(box)}`);
      const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(sideways <= 0, `${name}: the page scrolls ${sideways} px sideways`);
      for (const part of [c.input, page.locator("ia-chat .send"), page.locator("ia-chat .close")]) {
        const b = await part.boundingBox();
        assert.ok(b && b.x >= 0 && b.x + b.width <= viewport.width + 0.5 && b.y + b.height <= viewport.height + 0.5, `${name}: ${JSON.stringify(b)}`);
      }
      const answer = await ask(page, expected.followUp.question);
      assert.deepEqual(answer, [normal(expected.followUp.text)]);
      await shot(page, name);
    }
    assert.deepEqual(page.problems, []);
  },

  // The server goes away and comes back, twice: the chat says so; a message written meanwhile is
  // kept and sent when the chat is back; once the chat says it is back, the user can write at once.
  async offline(browser) {
    const page = await newPage(browser);
    const c = chat(page);
    const status = (text) => c.status.filter({ hasText: text }).waitFor();
    await openByKeyboard(page);
    await ask(page, expected.role.question);

    await command("@stop-rasa");
    await status(TEXTS.offline);
    // Sent while the server is away: it stays in the field, is not in the log yet, and the user is
    // told it will be sent.
    const before = await c.bot.count();
    await c.input.fill(expected.followUp.question);
    await c.input.press("Enter");
    await status(TEXTS.queued);
    assert.equal(await c.input.inputValue(), expected.followUp.question);
    assert.equal(await c.user.count(), 1, "the message is not in the log while it is not sent");
    await shot(page, "offline");
    // Back: it is sent by itself, once, and answered in the same conversation.
    await command("@start-rasa");
    await status(TEXTS.sentWhenBack);
    await answered(page, before);
    assert.deepEqual((await botTexts(page)).slice(before), [normal(expected.followUp.text)]);
    assert.equal(await c.input.inputValue(), "");
    assert.deepEqual((await c.user.allInnerTexts()).map(normal), [
      `Du: ${expected.role.question}`,
      `Du: ${expected.followUp.question}`,
    ]);

    // Nothing written while away: as soon as the chat says it is back, a question is answered.
    await command("@stop-rasa");
    await status(TEXTS.offline);
    await command("@start-rasa");
    await status(TEXTS.online);
    const answer = await ask(page, expected.role.question);
    assert.deepEqual(answer, [normal(expected.role.text)]);
    await shot(page, "recovered");
    // The refused connections while the server was away are the only console errors allowed.
    assert.deepEqual(page.problems.filter((p) => !/WebSocket connection to .* failed/.test(p)), []);
  },
};

// A page in nynorsk embeds the chat with lang="nn": the chat's own texts, its greeting and its
// answers are nynorsk. The demo page is made one as it loads: the attribute is set on the element
// as the parser adds it, before the chat's script runs (a page served by the test itself would
// not be allowed to reach the server on 127.0.0.1).
scenarios.nynorsk = async (browser) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(() => {
    new MutationObserver((changes, observer) => {
      document.documentElement.lang = "nn";
      const element = document.querySelector("ia-chat");
      if (element) {
        element.setAttribute("lang", "nn");
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT);
  await page.goto(pageUrl);
  const c = chat(page);
  const nn = expected.nynorsk;
  assert.equal(await page.locator("ia-chat").getAttribute("lang"), "nn");
  await openByKeyboard(page);
  const [greeting] = await botTexts(page);
  assert.ok(greeting.startsWith(normal(nn.greeting)), `the greeting: ${greeting}`);
  assert.deepEqual(await c.replies.allInnerTexts(), nn.greetingReplies);
  assert.equal(await page.locator("ia-chat .hint").innerText(), nn.hint);
  assert.equal(await page.locator("ia-chat .frame").getAttribute("lang"), "nn");
  assert.deepEqual(await ask(page, nn.question), [normal(nn.answer)]);
  await shot(page, "nynorsk");
};

// Asks the test that runs this script to do something, and waits until it is done.
const input = createInterface({ input: process.stdin });
const lines = input[Symbol.asyncIterator]();
async function command(name) {
  console.log(name);
  const { value } = await lines.next();
  assert.equal(value, "done", `${name} failed`);
}

const run = scenarios[scenario];
if (!run) {
  console.error(`unknown scenario ${scenario}; known: ${Object.keys(scenarios).join(", ")}`);
  process.exit(2);
}
const browser = await launch();
try {
  await run(browser);
  console.log(`${scenario}: passed`);
} catch (error) {
  console.log(`${scenario}: FAILED\n${error.stack || error}`);
  // What the page showed when it failed, as an artefact.
  for (const page of browser.contexts().flatMap((context) => context.pages())) {
    await shot(page, `${scenario}-failed`).catch(() => {});
    console.log(await chat(page).panel.innerText({ timeout: 1000 }).catch(() => ""));
  }
  process.exitCode = 1;
} finally {
  input.close();
  await browser.close();
}
