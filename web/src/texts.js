// What the chat itself says, in bokmål. The page's language (lang="nb" or "nn") is passed to the
// server with every message; the chat's own texts are bokmål for now.
export const TEXTS = {
  open: "Chat med IA-assistenten",
  title: "IA-assistenten",
  subtitle: "Svar om inkluderende arbeidsliv",
  close: "Lukk chatten",
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
  notSent: "Meldingen ble ikke sendt fordi chatten ikke er tilgjengelig. Prøv igjen om litt – teksten står i feltet.",
  newSession: "Den forrige samtalen er avsluttet. Det du skriver nå, starter en ny samtale.",
  download: "Last ned utkastet",
  downloadHint: "Markdown-fil som kan åpnes i et hvilket som helst tekstprogram",
};
