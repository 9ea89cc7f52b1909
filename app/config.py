"""Settings from the environment; built by get_settings(), never at import."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_DIR = Path(__file__).resolve().parent.parent

PDOK_BRT = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"


class Settings(BaseSettings):
    """Every setting is documented in the README's table."""

    model_config = SettingsConfigDict(env_prefix="KAART_", extra="ignore")

    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "KAART_DATABASE_URL")
    )
    data_dir: Path = PROJECT_DIR / ".kaart"
    upload_dir: Path | None = None  # None: data_dir / "uploads"
    db_port: int = 54329
    db_name: str = "kaart"
    pg_bin: Path | None = None
    db_os_user: str | None = None

    host: str = "127.0.0.1"
    port: int = 8000
    gemeente: str | None = None
    basemap_url: str = PDOK_BRT
    basemap_attributie: str = 'Kaartgegevens &copy; <a href="https://www.kadaster.nl">Kadaster</a>'
    secret_key: SecretStr = SecretStr("")  # empty: generated once into data_dir/secret-key
    public_url: str = ""  # base of links in mails; empty: taken from the request
    broncode_url: str = ""
    contact_email: str = ""
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_security: Literal["starttls", "ssl", "none"] = "starttls"
    mail_afzender: str = "Voorzieningenkaart <noreply@localhost>"
    log_level: str = "info"
    import_max_mb: int = Field(default=200, ge=1)  # upload/file limit of imports
    photo_max_megapixels: int = Field(default=40, ge=1)  # checked in the header, before decoding
    photo_max_side: int = Field(default=12_000, ge=100)  # longest side of an uploaded photo (px)
    photo_jobs: int = Field(default=2, ge=1)  # photos this process decodes at the same time

    @property
    def managed_db(self) -> bool:
        """True when we run our own PostGIS cluster instead of DATABASE_URL."""
        return not self.database_url


@lru_cache
def get_settings() -> Settings:
    """One Settings per process; tests build their own Settings and pass them in."""
    return Settings()
