// A piece of HTML that is already safe to put into a document as it is: made only by the `html`
// tag (which escapes every value it interpolates), by `trustedHtml` for markup the code itself
// wrote (an SVG chart built from numbers), or by `joinHtml`.
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}
