// What the chat itself says, in bokmål (nb) and nynorsk (nn). The page's language picks them:
// lang="nn" gives nynorsk, any other bokmål. The page's language also goes to the server with
// every message, and the server answers in the standard the user writes (nynorsk from the start
// on a nynorsk page).
const NB = {
  open: "Chat med IA-assistenten",
  title: "IA-assistenten",
  subtitle: "Svar om inkluderende arbeidsliv",
  close: "Lukk chatten",
  closeShort: "Lukk",
  log: "Samtalen med IA-assistenten",
  bot: "IA-assistenten:",
  user: "Du:",
  label: "Skriv spørsmålet ditt",
  hint: "Ikke skriv personnummer eller helseopplysninger.",
  send: "Send",
  suggestions: "Forslag til svar",
  newTab: "(åpnes i ny fane)",
  typing: "IA-assistenten skriver …",
  connecting: "Kobler til chatten …",
  offline: "Chatten er ikke tilgjengelig akkurat nå – vi prøver igjen …",
  online: "Chatten er tilgjengelig igjen.",
  queued: "Meldingen er ikke sendt ennå fordi chatten ikke er tilgjengelig. Den blir sendt når chatten er tilgjengelig igjen.",
  sentWhenBack: "Chatten er tilgjengelig igjen, og meldingen din er sendt.",
  newSession: "Den forrige samtalen er avsluttet. Det du skriver nå, starter en ny samtale.",
  download: "Last ned utkastet",
  downloadHint: "Markdown-fil som kan åpnes i et hvilket som helst tekstprogram",
};

const NN = {
  open: "Chat med IA-assistenten",
  title: "IA-assistenten",
  subtitle: "Svar om inkluderande arbeidsliv",
  close: "Lukk chatten",
  closeShort: "Lukk",
  log: "Samtalen med IA-assistenten",
  bot: "IA-assistenten:",
  user: "Du:",
  label: "Skriv spørsmålet ditt",
  hint: "Ikkje skriv personnummer eller helseopplysningar.",
  send: "Send",
  suggestions: "Forslag til svar",
  newTab: "(blir opna i ny fane)",
  typing: "IA-assistenten skriv …",
  connecting: "Koplar til chatten …",
  offline: "Chatten er ikkje tilgjengeleg akkurat no – vi prøver igjen …",
  online: "Chatten er tilgjengeleg igjen.",
  queued: "Meldinga er ikkje send enno fordi chatten ikkje er tilgjengeleg. Ho blir send når chatten er tilgjengeleg igjen.",
  sentWhenBack: "Chatten er tilgjengeleg igjen, og meldinga di er send.",
  newSession: "Den førre samtalen er avslutta. Det du skriv no, startar ein ny samtale.",
  download: "Last ned utkastet",
  downloadHint: "Markdown-fil som kan opnast i kva tekstprogram som helst",
};

export function textsFor(lang) {
  return lang === "nn" ? NN : NB;
}
