/**
 * Questions asked on the terminal. The terminal stays in raw mode from the first question to the
 * end, so a password is never echoed, not by the terminal and not by us, even when it is typed
 * before its question appears. Backspace deletes, Enter answers, Ctrl-C or Ctrl-D ends the command.
 */

/** Ctrl-C or Ctrl-D at a question: the command stops, having done nothing. */
export class PromptInterrupted extends Error {
  constructor() {
    super("Interrupted: nothing was done.");
  }
}

export class TerminalPrompt {
  private typed = "";
  private wake: (() => void) | undefined;
  private readonly onData = (text: string) => {
    this.typed += text;
    this.wake?.();
  };

  /** Takes the terminal (stdin must be one) until close(). */
  constructor() {
    process.stdin.setEncoding("utf8");
    process.stdin.setRawMode(true);
    process.stdin.on("data", this.onData);
    process.stdin.resume();
  }

  /** Asks `question` and resolves with the line typed, shown as it is typed unless `hidden`. */
  async ask(question: string, { hidden = false } = {}): Promise<string> {
    const output = process.stdout;
    output.write(question);
    let answer = "";
    for (;;) {
      if (!this.typed) await new Promise<void>((resolve) => (this.wake = resolve));
      const [char] = this.typed;
      this.typed = this.typed.slice(char.length);
      if (char === "\r" || char === "\n") break;
      if (char === "\u0003" || char === "\u0004") {
        output.write("\n");
        throw new PromptInterrupted();
      }
      if (char === "\u007f" || char === "\b") {
        if (answer && !hidden) output.write("\b \b");
        answer = [...answer].slice(0, -1).join("");
      } else if (char >= " ") {
        answer += char;
        if (!hidden) output.write(char);
      }
    }
    output.write("\n");
    return answer;
  }

  /** Gives the terminal back as it was. */
  close(): void {
    process.stdin.off("data", this.onData);
    process.stdin.setRawMode(false);
    process.stdin.pause();
  }
}

/** The first line of stdin (without its line end), for scripts that pipe an answer in. */
export async function firstLineOfStdin(): Promise<string> {
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return text.split(/\r?\n/)[0];
}
