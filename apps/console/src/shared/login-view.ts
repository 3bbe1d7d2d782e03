import { html, type TemplateResult } from "lit-html"

export interface LoginModel {
  readonly mode: "password" | "token"
  readonly busy: boolean
  readonly error: string | null
  readonly title: string
}

export interface LoginActions {
  readonly setMode: (mode: "password" | "token") => void
  readonly password: (tenant: string, username: string, password: string) => void
  readonly token: (token: string) => void
}

const field = (form: HTMLFormElement, name: string): string => {
  const element = form.elements.namedItem(name)
  return element instanceof HTMLInputElement ? element.value : ""
}

/** The sign-in form both pages share: user name and password, or an API token. */
export const loginView = (model: LoginModel, actions: LoginActions): TemplateResult => html`
  <main class="login" aria-labelledby="login-title">
    <form
      class="card login-card"
      @submit=${(event: SubmitEvent) => {
        event.preventDefault()
        const form = event.currentTarget as HTMLFormElement
        if (model.mode === "password") {
          actions.password(field(form, "tenant"), field(form, "username"), field(form, "password"))
        } else {
          actions.token(field(form, "token"))
        }
      }}
    >
      <h1 id="login-title">${model.title}</h1>
      <div class="segmented" role="radiogroup" aria-label="How to sign in">
        <label
          ><input
            type="radio"
            name="mode"
            value="password"
            .checked=${model.mode === "password"}
            @change=${() => actions.setMode("password")}
          />
          With a password</label
        >
        <label
          ><input
            type="radio"
            name="mode"
            value="token"
            .checked=${model.mode === "token"}
            @change=${() => actions.setMode("token")}
          />
          With an API token</label
        >
      </div>
      ${
        model.mode === "password"
          ? html`
              <label>Tenant <input name="tenant" autocomplete="organization" required value="demo" /></label>
              <label>User name <input name="username" autocomplete="username" required autofocus /></label>
              <label>Password <input name="password" type="password" autocomplete="current-password" required /></label>
            `
          : html`<label
              >API token <input name="token" autocomplete="off" required autofocus spellcheck="false"
            /></label>`
      }
      <p class="error" role="alert">${model.error ?? ""}</p>
      <button class="primary" type="submit" ?disabled=${model.busy}>${model.busy ? "Signing in…" : "Sign in"}</button>
    </form>
  </main>
`
