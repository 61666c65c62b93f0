"""Cost arithmetic: price every call site, project each use case's monthly spend, diff two projections.

Pure functions over resolved call sites, the policy and the catalog (SPEC §5):

- expected cost per call = avg_input_tokens x input price + min(avg_output_tokens, the call's
  output limit) x output price, prices per million tokens;
- worst-case cost per call = the same input cost + the call's output limit x output price; a
  call without a limit has no worst case (it is unbounded, and said so);
- cost per task = the sum over the use case's call sites of expected cost per call x
  `calls_per_task`; projected monthly spend = cost per task x `tasks_per_month`.

The price is the one the call really pays, and the report says which (`price_basis`):

- the list price in force on the day (`--today`), at the long-context tier when the average
  prompt crosses it (all of the prompt's tokens then pay that tier, as the providers bill it);
- through a batch API (operation `batch`, or an API named `...batches...`): the batch tier's
  rates; a model the catalog has no batch price for pays list price ("list, no batch price");
- with a named service tier (`service_tier=` of `price_call`): that tier's rates; flex falls back
  to list like batch, but priority/fast without a known price make the call unpriced, because
  list would understate it;
- with a cache marker (`cache_control`, `prompt_cache_key`, `cachePoint`, `cached_content`) and
  a static prefix (the system, developer and instructions parts of the prompt, estimated by
  oberhahn_policy/prompts.py) at least as long as the provider's minimum cacheable prefix: the
  prefix is read from the cache at the cached-input rate on every call but the first of each
  cache lifetime, which writes it at the cache-write rate (the input rate where the provider
  charges no write premium). The lifetime is 5 minutes (Anthropic's and Bedrock's default, the
  low end of OpenAI's and Gemini's); traffic is assumed spread evenly over a 30-day month, so a
  use case makes min(calls a month, 8,640) writes a month. The rest of the prompt pays the input
  rate. Without `tasks_per_month` the writes can't be spread, and list price applies;
- image, audio and embedding calls are priced in the unit their model is billed in: per image
  (`budget.images_per_call`, default 1), per hour of audio (`budget.avg_audio_seconds`), per
  character (`budget.avg_input_characters`), or per image/audio token with the average token
  volumes; a unit the catalog has no price for leaves the projection incomplete.

A policy price (`models.prices`) is the negotiated price and is used as is (its
`cached_input_per_mtok` for cached prefixes); a catalog list price is reduced by the policy's
discount for the provider that bills the call (`billing_provider`). A model that can't be priced
makes its use case's projection incomplete, never $0. So does a volume the budget doesn't declare
(`tasks_per_month`, the average tokens, audio seconds or characters a call needs): the use case
then has no projected figure and says "volume not declared", never $0.
"""

from .pricing import (
    CACHE_LIFETIME_MINUTES,
    CACHE_LIFETIMES_PER_MONTH,
    VOLUME_FIELDS,
    SiteCost,
    UnitPrice,
    billing_provider,
    cache_write_share,
    cached_prefix_tokens,
    is_batch_call,
    is_unit_priced,
    model_cost_per_task,
    price_call,
    unit_price,
    usd,
)
from .projection import (
    CostProjection,
    CostReport,
    SiteChange,
    TeamCost,
    UseCaseCost,
    UseCaseDelta,
    diff,
    project,
)

__all__ = [
    "CACHE_LIFETIMES_PER_MONTH", "CACHE_LIFETIME_MINUTES", "VOLUME_FIELDS", "CostProjection", "CostReport", "SiteChange",
    "SiteCost", "TeamCost", "UnitPrice", "UseCaseCost", "UseCaseDelta", "billing_provider", "cache_write_share",
    "cached_prefix_tokens", "diff", "is_batch_call", "is_unit_priced", "model_cost_per_task", "price_call", "project",
    "unit_price", "usd",
]
