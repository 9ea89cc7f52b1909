"""Settings from the environment; built by get_settings(), never at import."""

from functools import lru_cache
from ipaddress import ip_network
from pathlib import Path
from typing import Literal

from pydantic import (
    AliasChoices,
    Field,
    PrivateAttr,
    SecretStr,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_DIR = Path(__file__).resolve().parent.parent

PDOK_BRT = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"
EIGEN = "eigen"  # basemap_url for our own vector basemap (/v1/tiles/basiskaart), same origin
KADASTER = 'Kaartgegevens &copy; <a href="https://www.kadaster.nl">Kadaster</a>'
# our own basemap is drawn from the gemeente's own data (BAG, NWB, BGT or the demo)
EIGEN_ATTRIBUTIE = "Basiskaart: gegevens van de gemeente"


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
    # eigen, pdok, geen or a tile URL; empty: basemap_url if set, else per gemeente (see
    # basiskaart_automatisch)
    basiskaart: str = ""
    basemap_url: str = PDOK_BRT  # resolved from basiskaart: EIGEN, a tile URL or "" (none)
    basemap_attributie: str = KADASTER
    secret_key: SecretStr = SecretStr("")  # empty: generated once into data_dir/secret-key
    public_url: str = ""  # base of links in mails; empty: http:// + the first allowed host
    allowed_hosts: str = ""  # comma-separated host[:port]; empty: follows host and port
    trusted_proxies: str = ""  # comma-separated IPs/CIDRs whose X-Forwarded-For we believe
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
    import_statement_timeout_s: int = Field(default=1800, ge=1)  # per SQL statement of an import
    taak_stil_s: int = Field(default=60, ge=2)  # a job silent this long is marked afgebroken
    loopsnelheid_kmh: float = Field(default=4.5, gt=0, le=20)  # walking: minutes on the maps
    fietssnelheid_kmh: float = Field(default=15.0, gt=0, le=60)  # cycling isochrones
    _automatisch: bool = PrivateAttr(default=False)
    _attributie_gezet: bool = PrivateAttr(default=False)

    @field_validator("allowed_hosts")
    @classmethod
    def _host_names(cls, value: str) -> str:
        for entry in _split(value):
            if "/" in entry or "*" in entry or "@" in entry:
                raise ValueError(f"KAART_ALLOWED_HOSTS: '{entry}' is geen hostnaam; schrijf "
                                 "bijvoorbeeld kaart.gemeente.nl of 127.0.0.1:8000")
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        for entry in _split(value):
            try:
                ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(f"KAART_TRUSTED_PROXIES: '{entry}' is geen IP-adres of "
                                 "netwerk (zoals 10.0.0.5 of 10.0.0.0/24)") from None
        return value

    @model_validator(mode="after")
    def _resolve_basemap(self) -> "Settings":
        """KAART_BASISKAART wins; the older KAART_BASEMAP_URL still works when set alone;
        neither set: our own basemap, until a page finds its gemeente has no streets."""
        choice = self.basiskaart.strip()
        self._attributie_gezet = "basemap_attributie" in self.model_fields_set
        if not choice:
            if "basemap_url" not in self.model_fields_set:
                self.basemap_url = EIGEN
                self._automatisch = True
        elif choice.lower() in ("eigen", "pdok", "geen"):
            self.basemap_url = {"eigen": EIGEN, "pdok": PDOK_BRT, "geen": ""}[choice.lower()]
        elif choice.startswith(("https://", "http://")) and "{z}" in choice:
            self.basemap_url = choice
        else:
            raise ValueError(f"KAART_BASISKAART: '{choice}' kennen we niet; kies eigen, pdok, "
                             "geen of een tegel-URL met {z}, {x} en {y}")
        if self.basemap_url == EIGEN and not self._attributie_gezet:
            self.basemap_attributie = EIGEN_ATTRIBUTIE
        return self

    @property
    def basiskaart_automatisch(self) -> bool:
        """No basemap configured: `eigen` where the gemeente has streets loaded, else `pdok`."""
        return self._automatisch

    def met_basiskaart(self, basemap_url: str) -> "Settings":
        """These settings with the basemap a page gets, credited to its source."""
        attributie = (self.basemap_attributie if self._attributie_gezet
                      else EIGEN_ATTRIBUTIE if basemap_url == EIGEN else KADASTER)
        copy = self.model_copy(update={"basemap_url": basemap_url,
                                       "basemap_attributie": attributie})
        copy._automatisch = False
        return copy

    @property
    def allowed_host_list(self) -> list[str]:
        """The Host headers we answer; unset, the address `kaart serve` listens on."""
        if _split(self.allowed_hosts):
            return [entry.lower() for entry in _split(self.allowed_hosts)]
        if self.host in ("", "0.0.0.0", "::", "127.0.0.1", "localhost"):  # local names
            names = ["127.0.0.1", "localhost"]
        else:
            names = [f"[{self.host}]" if ":" in self.host else self.host]
        return [f"{name}:{self.port}" for name in names]

    @property
    def trusted_proxy_list(self) -> list[str]:
        return _split(self.trusted_proxies)

    @property
    def mail_url(self) -> str:
        """Base of every link in mail: configured, never taken from a request's Host header."""
        return (self.public_url or f"http://{self.allowed_host_list[0]}").rstrip("/")
    photo_max_megapixels: int = Field(default=40, ge=1)  # checked in the header, before decoding
    photo_max_side: int = Field(default=12_000, ge=100)  # longest side of an uploaded photo (px)
    photo_jobs: int = Field(default=2, ge=1)  # photos this process decodes at the same time

    @property
    def managed_db(self) -> bool:
        """True when we run our own PostGIS cluster instead of DATABASE_URL."""
        return not self.database_url


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


@lru_cache
def get_settings() -> Settings:
    """One Settings per process; tests build their own Settings and pass them in."""
    return Settings()
