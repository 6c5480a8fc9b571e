"""One settings object, read once at each entry point and passed down (env prefix ``PA_``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Resource(BaseModel, frozen=True):
    """A crisis resource shown on the crisis route; a practice outside the US replaces the list."""

    name: str
    contact: str
    kind: Literal["suicide", "emergency", "text", "abuse"] = "suicide"


DEFAULT_RESOURCES: tuple[Resource, ...] = (
    Resource(name="988 Suicide & Crisis Lifeline", contact="Call or text 988", kind="suicide"),
    Resource(name="Emergency services", contact="Call 911 if you are in immediate danger",
             kind="emergency"),
    Resource(name="Crisis Text Line", contact="Text HOME to 741741", kind="text"),
    Resource(name="National Domestic Violence Hotline",
             contact="Call 1-800-799-7233 or text START to 88788", kind="abuse"),
)


class Settings(BaseSettings):
    """Everything configurable about the assistant; built once per process."""

    model_config = SettingsConfigDict(
        env_prefix="PA_", env_file=".env", extra="ignore", env_nested_delimiter="__"
    )

    practice_name: str = "Connected Healing Therapy"
    site_url: str = Field(
        default="https://www.connectedhealingtherapy.com",
        description="Base for article URLs that are given as paths in front matter.",
    )
    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("var/index")
    collection: str = "practice"
    chroma_url: str | None = Field(
        default=None, description="http://host:port of a Chroma server; unset = embedded client."
    )

    retriever: str = "hybrid"
    top_k: int = 5
    max_chunks_per_article: int = 2
    relevance_floor: float = Field(
        default=0.28,
        description="Cosine floor for answering: the midpoint between the golden set's best "
                    "unanswerable (0.169) and worst answerable (0.389) question.")

    consultation_text: str = "Book a free 15-minute consultation"
    consultation_url: str = "https://www.connectedhealingtherapy.com/contact"
    crisis_resources: tuple[Resource, ...] = DEFAULT_RESOURCES

    max_message_chars: int = 2000
    feedback_path: Path = Path("var/feedback.jsonl")
    feedback_retention_days: int = 90

    staff_password: SecretStr | None = None

    # --- serving on the practice's website (issue 11) ---
    embed_origins: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(), description="Origins allowed to frame the chat (CSP frame-ancestors), "
                                "comma-separated, e.g. https://www.example-practice.com; "
                                "unset = only the assistant's own origin.")
    trusted_proxies: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(), description="Addresses or CIDR ranges of reverse proxies whose "
                                "X-Forwarded-For is believed, comma-separated; unset = none.")
    xsrf_cookie_same_site: Literal["lax", "strict", "none"] = Field(
        default="lax", description="Streamlit's server.xsrfCookieSameSite; 'none' (HTTPS only) "
                                   "when the chat is framed by a site on another domain.")
    questions_per_session: str = "10/minute"
    questions_per_address: str = "10/minute"
    sign_in_failures_per_address: str = "10/15 minutes"
    sign_in_failures_global: str = "100/15 minutes"
    sign_in_lockout_s: int = 900
    disclosure_interval_s: float = Field(
        default=3 * 3600, description="Repeat the automated-assistant notice this often "
                                      "(New York GBL §1702 asks for at least every 3 hours).")

    llm: Literal["none", "openai"] = "none"
    llm_base_url: str | None = None
    llm_model: str = "local"
    llm_api_key: SecretStr = SecretStr("not-needed")
    llm_timeout_s: float = 30.0
    llm_max_tokens: int = 220

    @field_validator("embed_origins", "trusted_proxies", mode="before")
    @classmethod
    def _comma_separated(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip().rstrip("/") for part in value.split(",") if part.strip())
        return value

    @field_validator("questions_per_session", "questions_per_address",
                     "sign_in_failures_per_address", "sign_in_failures_global")
    @classmethod
    def _rate_limit(cls, value: str) -> str:
        from limits import parse

        parse(value)  # raises ValueError on a malformed limit such as "ten a minute"
        return value

    def site_hosts(self) -> list[str]:
        """Hosts an article may link to without being flagged as planted content."""
        from urllib.parse import urlparse

        return [h for h in (urlparse(u).hostname for u in (self.site_url, self.consultation_url))
                if h]

    @property
    def consultation(self) -> dict[str, str]:
        return {"text": self.consultation_text, "url": self.consultation_url}
