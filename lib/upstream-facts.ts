/**
 * Facts from the engines we deploy onto, each with the upstream source it was read from
 * (`owner/repo@version:path[:lines]`). The charts and sources cannot be fetched in CI, so these
 * are what the synth-time checks and the tests hold our output against. A pin bump in
 * `versions.ts` must re-read every fact of that pin from the new version's source.
 *
 * Plain data only: no logic here, so a reviewer can diff a pin bump line by line.
 */

/** The Kong Helm chart at `VERSIONS.kongChart`. */
export const KONG_CHART_FACTS = {
  version: "3.4.1",
} as const;

/** Kong Gateway at `VERSIONS.kongImage`. */
export const KONG_FACTS = {
  version: "3.9.1",
} as const;

/**
 * LiteLLM at `VERSIONS.liteLlmImage`. Read from CartoDB/litellm (a fork carrying BerriAI's history, without tags) at
 * dd24252a9f, the "bump: version 1.80.11 → 1.80.12" commit; none of the files cited changed before the bump to 1.80.13
 * (3e066db0b5) except `proxy/_types.py` (+6 lines after the ones cited).
 */
export const LITELLM_FACTS = {
  version: "1.80.12",
  source: "CartoDB/litellm@dd24252a9f2dd991372f682636f27c091ab2780a",
  /** Keys of the proxy's config.yaml, per section: a key outside these is silently dropped or never read. */
  configKeys: {
    /** Router.__init__ parameters; the proxy passes on only these and drops every other key without a word. */
    routerSettings: {
      source: "CartoDB/litellm@dd24252a9f:litellm/router.py:209-291 (Router.__init__), litellm/proxy/proxy_server.py:2684-2699 (inspect.getfullargspec filter)",
      keys: [
      "assistants_config", "guardrail_list", "redis_url", "redis_host", "redis_port", "redis_password", "cache_responses", "cache_kwargs",
      "caching_groups", "client_ttl", "polling_interval", "default_priority", "num_retries", "max_fallbacks", "timeout", "stream_timeout",
      "default_litellm_params", "default_max_parallel_requests", "set_verbose", "debug_level", "default_fallbacks", "fallbacks",
      "context_window_fallbacks", "content_policy_fallbacks", "model_group_alias", "enable_pre_call_checks", "enable_tag_filtering", "retry_after",
      "retry_policy", "model_group_retry_policy", "allowed_fails", "allowed_fails_policy", "cooldown_time", "disable_cooldowns", "routing_strategy",
      "optional_pre_call_checks", "routing_strategy_args", "provider_budget_config", "alerting_config", "router_general_settings",
      "ignore_invalid_deployments"
    ],
    },
    /**
     * The proxy special-cases a few keys and `setattr(litellm, key, value)`s every other one, so a key is only
     * meaningful when it names a module attribute of `litellm` (assignments and the constants it imports).
     */
    litellmSettings: {
      source: "CartoDB/litellm@dd24252a9f:litellm/proxy/proxy_server.py:2202-2465 (load_config), litellm/__init__.py (module attributes)",
      keys: [
      "aclient_session", "adapters", "add_function_to_prompt", "add_user_information_to_llm_headers", "ai21_chat_models", "ai21_key", "ai21_models",
      "aiml_models", "aiohttp_trust_env", "aleph_alpha_key", "aleph_alpha_models", "all_embedding_models", "allow_dynamic_callback_disabling",
      "allowed_fails", "amazon_nova_api_key", "amazon_nova_models", "anthropic_key", "anthropic_models", "anyscale_models", "api_base", "api_key",
      "api_version", "argilla_batch_size", "argilla_transformation_object", "assemblyai_models", "aws_polly_models", "aws_sqs_callback_params",
      "azure_ai_models", "azure_anthropic_models", "azure_embedding_models", "azure_key", "azure_llms", "azure_models", "azure_text_models",
      "banned_keywords_list", "baseten_key", "baseten_models", "bedrock_converse_models", "bedrock_embedding_models", "bedrock_models",
      "blocked_user_list", "budget_duration", "bytez_key", "cache", "cache_params", "caching", "caching_with_models", "callback_settings",
      "callbacks", "cerebras_models", "check_provider_endpoint", "clarifai_key", "clarifai_models", "client_session", "cloudflare_api_key",
      "cloudflare_models", "codestral_models", "cohere_chat_models", "cohere_embedding_models", "cohere_key", "cohere_models",
      "cold_storage_custom_logger", "cometapi_key", "cometapi_models", "common_cloud_provider_auth_params", "config_path", "content_policy_fallbacks",
      "context_window_fallbacks", "cost_discount_config", "cost_margin_config", "credential_list", "custom_prometheus_metadata_labels",
      "custom_prometheus_tags", "custom_prompt_dict", "custom_provider_map", "dashscope_models", "databricks_key", "databricks_models",
      "datadog_llm_observability_params", "datadog_params", "datadog_use_v1", "datarobot_key", "datarobot_models", "deepgram_models",
      "deepinfra_models", "deepseek_models", "default_fallbacks", "default_in_memory_ttl", "default_internal_user_params",
      "default_key_generate_params", "default_max_internal_user_budget", "default_redis_batch_cache_expiry", "default_redis_ttl",
      "default_soft_budget", "default_team_params", "default_team_settings", "disable_add_prefix_to_prompt",
      "disable_add_transform_inline_image_block", "disable_add_user_agent_to_request_tags", "disable_aiohttp_transport", "disable_aiohttp_trust_env",
      "disable_copilot_system_to_assistant", "disable_end_user_cost_tracking", "disable_end_user_cost_tracking_prometheus_only",
      "disable_hf_tokenizer_download", "disable_streaming_logging", "disable_token_counter", "docker_model_runner_models", "drop_params",
      "dynamodb_table_name", "elevenlabs_models", "email", "empower_models", "enable_azure_ad_token_refresh",
      "enable_caching_on_provider_specific_optional_params", "enable_end_user_cost_tracking_prometheus_only", "enable_json_schema_validation",
      "enable_loadbalancing_on_batch_endpoints", "enable_preview_features", "error_logs", "extra_spend_tag_headers", "failure_callback",
      "fal_ai_models", "fallbacks", "featherless_ai_models", "filter_invalid_headers", "fireworks_ai_embedding_models", "fireworks_ai_models",
      "force_ipv4", "forward_traceparent_to_llm_provider", "friendliai_models", "galadriel_models", "gcs_pub_sub_use_v1", "gemini_models",
      "generic_api_use_v1", "generic_logger_headers", "gigachat_key", "gigachat_models", "github_copilot_models", "global_bitbucket_config",
      "global_disable_no_log_param", "global_gitlab_config", "global_prompt_directory", "google_moderation_confidence_threshold",
      "gradient_ai_api_key", "gradient_ai_models", "groq_key", "groq_models", "guardrail_name_config_map", "guardrails", "headers", "heroku_key",
      "heroku_models", "huggingface_key", "huggingface_models", "hyperbolic_models", "in_memory_llm_clients_cache", "include_cost_in_streaming_usage",
      "infinity_key", "infinity_models", "initialized_langfuse_clients", "input_callback", "internal_user_budget_duration", "jina_ai_models",
      "key_generation_settings", "known_tokenizer_config", "lambda_ai_models", "langfuse_default_tags", "langsmith_batch_size", "lemonade_key",
      "lemonade_models", "litellm_mode", "llama_api_key", "llama_models", "llamagate_models", "llamaguard_model_name",
      "llamaguard_unsafe_content_categories", "llm_guard_mode", "log_raw_request_response", "logged_real_time_event_types", "logging",
      "longer_context_model_fallback_dict", "maritalk_key", "maritalk_models", "max_budget", "max_end_user_budget", "max_end_user_budget_id",
      "max_fallbacks", "max_internal_user_budget", "max_tokens", "max_ui_session_budget", "max_user_budget", "minimax_models", "mistral_chat_models",
      "model_alias_map", "model_cost", "model_cost_map_url", "model_fallbacks", "model_group_settings", "model_list", "model_list_set",
      "models_by_provider", "modify_params", "moonshot_models", "morph_models", "nebius_embedding_models", "nebius_key", "nebius_models",
      "nlp_cloud_key", "nlp_cloud_models", "novita_api_key", "novita_models", "nscale_models", "num_retries", "num_retries_per_request",
      "nvidia_nim_models", "oci_models", "ollama_key", "ollama_models", "open_ai_chat_completion_models", "open_ai_embedding_models",
      "open_ai_text_completion_models", "openai_compatible_endpoints", "openai_compatible_providers", "openai_image_generation_models", "openai_key",
      "openai_like_key", "openai_moderations_model_name", "openai_text_completion_compatible_providers", "openai_video_generation_models",
      "openrouter_key", "openrouter_models", "organization", "output_parse_pii", "ovhcloud_embedding_models", "ovhcloud_key", "ovhcloud_models",
      "palm_models", "perplexity_models", "petals_models", "post_call_rules", "pre_call_rules", "predibase_key", "predibase_tenant_id",
      "presidio_ad_hoc_recognizers", "priority_reservation", "priority_reservation_settings", "project", "prometheus_initialize_budget_metrics",
      "prometheus_metrics_config", "prompt_name_config_map", "public_agent_groups", "public_mcp_servers", "public_model_groups",
      "public_model_groups_links", "publicai_models", "reasoning_auto_summary", "recraft_models", "redact_messages_in_exceptions",
      "redact_user_api_key_info", "replicate_key", "replicate_models", "request_timeout", "require_auth_for_metrics_endpoint", "responses", "retry",
      "return_response_headers", "runwayml_models", "s3_callback_params", "safe_memory_mode", "sambanova_embedding_models", "sambanova_models",
      "sap_service_key", "secret_manager_client", "service_callback", "snowflake_key", "snowflake_models", "ssl_certificate", "ssl_ecdh_curve",
      "ssl_security_level", "ssl_verify", "stability_models", "store_audit_logs", "success_callback", "suppress_debug_info", "tag_budget_config",
      "telemetry", "text_completion_codestral_models", "together_ai_models", "togetherai_api_key", "token", "turn_off_message_logging",
      "upperbound_key_generate_params", "use_aiohttp_transport", "use_client", "use_litellm_proxy", "v0_models", "vector_store_index_registry",
      "vector_store_registry", "vercel_ai_gateway_key", "vercel_ai_gateway_models", "vertex_ai_ai21_models", "vertex_ai_image_models",
      "vertex_ai_safety_settings", "vertex_ai_video_models", "vertex_anthropic_models", "vertex_chat_models", "vertex_code_chat_models",
      "vertex_code_text_models", "vertex_deepseek_models", "vertex_embedding_models", "vertex_language_models", "vertex_llama3_models",
      "vertex_location", "vertex_minimax_models", "vertex_mistral_models", "vertex_moonshot_models", "vertex_openai_models", "vertex_project",
      "vertex_text_models", "vertex_vision_models", "volcengine_models", "voyage_models", "wandb_key", "wandb_models", "watsonx_models", "xai_models",
      "zai_models"
    ],
    },
    /** Keys the proxy reads from general_settings (`general_settings.get/[…]`, `… in general_settings`) plus ConfigGeneralSettings. */
    generalSettings: {
      source: "CartoDB/litellm@dd24252a9f:litellm/proxy/**/*.py (general_settings reads), litellm/proxy/_types.py:1915-2035 (ConfigGeneralSettings)",
      keys: [
      "admin_only_routes", "alert_to_webhook_url", "alert_types", "alerting", "alerting_args", "alerting_threshold", "allow_client_side_credentials",
      "allow_requests_on_db_unavailable", "allow_user_auth", "allowed_ips", "allowed_routes", "background_health_checks", "completion_model",
      "custom_auth", "custom_key_generate", "custom_sso", "custom_ui_sso_sign_in_handler", "database_args", "database_connection_pool_limit",
      "database_connection_pool_timeout", "database_connection_timeout", "database_type", "database_url", "default_team_disabled",
      "disable_adding_master_key_hash_to_db", "disable_error_logs", "disable_master_key_return", "disable_prisma_schema_update",
      "disable_reset_budget", "disable_responses_id_security", "disable_retry_on_max_parallel_request_limit_error", "disable_spend_logs",
      "disable_spend_updates", "enable_jwt_auth", "enable_public_model_hub", "enforce_rbac", "enforce_user_param", "enforced_params",
      "forward_client_headers_to_llm_api", "forward_openai_org_id", "global_max_parallel_requests", "health_check_details", "health_check_interval",
      "image_generation_model", "infer_model_from_keys", "key_management_settings", "key_management_system", "litellm_jwtauth",
      "litellm_key_header_name", "litellm_license", "litellm_settings", "master_key", "max_parallel_requests", "max_request_size_mb",
      "max_response_size_mb", "maximum_spend_logs_retention_interval", "maximum_spend_logs_retention_period", "mcp_client_side_auth_header_name",
      "moderation_model", "otel", "pass_through_endpoints", "proxy_batch_polling_interval", "proxy_batch_write_at",
      "proxy_budget_rescheduler_max_time", "proxy_budget_rescheduler_min_time", "public_routes", "reject_clientside_metadata_tags",
      "role_permissions", "service_account_settings", "spend_report_frequency", "store_model_in_db", "store_prompts_in_spend_logs",
      "supported_db_objects", "token_rate_limit_type", "ui_access_mode", "use_azure_key_vault", "use_google_kms", "use_redis_transaction_buffer",
      "use_shared_health_check", "use_x_forwarded_for", "user_api_key_cache_ttl", "user_header_mappings", "user_header_name",
      "user_mcp_management_mode"
    ],
    },
    /** litellm.Cache(**cache_params): its parameters, RedisCache's, and redis.Redis' (kwargs pass through to the client). */
    cacheParams: {
      source: "CartoDB/litellm@dd24252a9f:litellm/caching/caching.py:56-113, 155-172; litellm/caching/redis_cache.py:91-132; redis/redis-py@v5.2.1:redis/client.py:169-216",
      keys: [
      "azure_account_url", "azure_blob_container", "cache", "cache_config", "charset", "client_name", "credential_provider", "db", "decode_responses",
      "default_in_memory_ttl", "default_in_redis_ttl", "disk_cache_dir", "encoding", "encoding_errors", "errors", "gcp_service_account",
      "gcp_ssl_ca_certs", "gcs_bucket_name", "gcs_path", "gcs_path_service_account", "health_check_interval", "host", "lib_name", "lib_version",
      "max_connections", "mode", "namespace", "password", "port", "protocol", "qdrant_api_base", "qdrant_api_key", "qdrant_collection_name",
      "qdrant_quantization_config", "qdrant_semantic_cache_embedding_model", "redis_connect_func", "redis_flush_size",
      "redis_semantic_cache_embedding_model", "redis_semantic_cache_index_name", "redis_startup_nodes", "retry_on_error", "retry_on_timeout",
      "s3_api_version", "s3_aws_access_key_id", "s3_aws_secret_access_key", "s3_aws_session_token", "s3_bucket_name", "s3_config", "s3_endpoint_url",
      "s3_path", "s3_region_name", "s3_use_ssl", "s3_verify", "similarity_threshold", "single_connection_client", "socket_connect_timeout",
      "socket_keepalive", "socket_keepalive_options", "socket_timeout", "ssl", "ssl_ca_certs", "ssl_ca_data", "ssl_ca_path", "ssl_cert_reqs",
      "ssl_certfile", "ssl_check_hostname", "ssl_ciphers", "ssl_keyfile", "ssl_min_version", "ssl_ocsp_context", "ssl_ocsp_expected_cert",
      "ssl_password", "ssl_validate_ocsp", "ssl_validate_ocsp_stapled", "startup_nodes", "supported_call_types", "ttl", "type", "unix_socket_path",
      "username"
    ],
    },
    /** model_list[].litellm_params: LiteLLM_Params and the models it extends. */
    litellmParams: {
      source: "CartoDB/litellm@dd24252a9f:litellm/types/router.py:147-164, 167-298, 301-363; litellm/types/utils.py:2705-2758",
      keys: [
      "api_base", "api_key", "api_version", "auto_router_config", "auto_router_config_path", "auto_router_default_model",
      "auto_router_embedding_model", "aws_access_key_id", "aws_bedrock_runtime_endpoint", "aws_region_name", "aws_secret_access_key",
      "budget_duration", "cache_creation_input_audio_token_cost", "cache_creation_input_token_cost", "cache_creation_input_token_cost_above_1hr",
      "cache_creation_input_token_cost_above_200k_tokens", "cache_read_input_audio_token_cost", "cache_read_input_token_cost",
      "cache_read_input_token_cost_above_200k_tokens", "cache_read_input_token_cost_flex", "cache_read_input_token_cost_priority",
      "citation_cost_per_token", "configurable_clientside_auth_params", "custom_llm_provider", "gcs_bucket_name", "input_cost_per_audio_per_second",
      "input_cost_per_audio_per_second_above_128k_tokens", "input_cost_per_audio_token", "input_cost_per_character",
      "input_cost_per_character_above_128k_tokens", "input_cost_per_image", "input_cost_per_image_above_128k_tokens", "input_cost_per_pixel",
      "input_cost_per_query", "input_cost_per_second", "input_cost_per_token", "input_cost_per_token_above_128k_tokens",
      "input_cost_per_token_above_200k_tokens", "input_cost_per_token_batches", "input_cost_per_token_cache_hit", "input_cost_per_token_flex",
      "input_cost_per_token_priority", "input_cost_per_video_per_second", "input_cost_per_video_per_second_above_128k_tokens",
      "input_cost_per_video_per_second_above_15s_interval", "input_cost_per_video_per_second_above_8s_interval", "litellm_credential_name",
      "litellm_trace_id", "max_budget", "max_file_size_mb", "max_retries", "merge_reasoning_content_in_choices", "milvus_text_field", "mock_response",
      "model", "model_info", "organization", "output_cost_per_audio_per_second", "output_cost_per_audio_token", "output_cost_per_character",
      "output_cost_per_character_above_128k_tokens", "output_cost_per_image", "output_cost_per_image_token", "output_cost_per_pixel",
      "output_cost_per_reasoning_token", "output_cost_per_second", "output_cost_per_token", "output_cost_per_token_above_128k_tokens",
      "output_cost_per_token_above_200k_tokens", "output_cost_per_token_batches", "output_cost_per_token_flex", "output_cost_per_token_priority",
      "output_cost_per_video_per_second", "region_name", "rpm", "s3_bucket_name", "s3_encryption_key_id", "search_context_cost_per_query",
      "stream_timeout", "tiered_pricing", "timeout", "tpm", "use_in_pass_through", "use_litellm_proxy", "vector_store_id", "vertex_credentials",
      "vertex_location", "vertex_project", "watsonx_region_name"
    ],
    },
  },
  /**
   * The Router's own Redis client: built from redis_host/port/password plus `cache_kwargs` only, handed to RedisCache,
   * whose extra kwargs go to redis.Redis. TLS therefore needs `cache_kwargs: { ssl, ssl_ca_certs }`.
   */
  routerRedis: {
    source: "CartoDB/litellm@dd24252a9f:litellm/router.py:394-411; litellm/caching/redis_cache.py:91-132; litellm/_redis.py:199-277, 459-475",
    /** redis.Redis kwargs that `cache_kwargs` may carry. */
    clientKwargs: [
      "cache", "cache_config", "charset", "client_name", "credential_provider", "db", "decode_responses", "encoding", "encoding_errors", "errors",
      "health_check_interval", "host", "lib_name", "lib_version", "max_connections", "namespace", "password", "port", "protocol",
      "redis_connect_func", "redis_flush_size", "retry_on_error", "retry_on_timeout", "single_connection_client", "socket_connect_timeout",
      "socket_keepalive", "socket_keepalive_options", "socket_timeout", "ssl", "ssl_ca_certs", "ssl_ca_data", "ssl_ca_path", "ssl_cert_reqs",
      "ssl_certfile", "ssl_check_hostname", "ssl_ciphers", "ssl_keyfile", "ssl_min_version", "ssl_ocsp_context", "ssl_ocsp_expected_cert",
      "ssl_password", "ssl_validate_ocsp", "ssl_validate_ocsp_stapled", "startup_nodes", "unix_socket_path", "username"
    ],
    tlsKwargs: ["ssl", "ssl_ca_certs"],
  },
  /** redis-py pinned by the image (requirements.txt:14) and its TLS defaults: the CA is verified, the hostname is not. */
  redisPy: {
    version: "5.2.1",
    source: "CartoDB/litellm@dd24252a9f:requirements.txt:14; redis/redis-py@v5.2.1 (a74fa6a3dc):redis/connection.py:943-1013 (SSLConnection.__init__)",
    sslDefaults: { ssl: false, ssl_cert_reqs: "required", ssl_check_hostname: false },
  },
  /** What retries or re-routes a request inside LiteLLM, and the defaults when a key is not set. */
  retries: {
    source: "CartoDB/litellm@dd24252a9f:litellm/router.py:472-477, 491-512, 536, 4600-4680; litellm/__init__.py:394-405",
    /** Router.num_retries: router_settings.num_retries, else litellm.num_retries, else openai.DEFAULT_MAX_RETRIES. */
    routerNumRetriesDefault: 2,
    /** default_litellm_params.max_retries: the provider client's own retries under the Router. */
    providerClientMaxRetries: 0,
    /** router_settings keys that make more provider calls for one request. */
    routerSettings: ["num_retries", "retry_policy", "model_group_retry_policy", "fallbacks", "default_fallbacks", "context_window_fallbacks", "content_policy_fallbacks", "max_fallbacks"],
    /** litellm_settings keys the Router falls back to when its own are unset. */
    litellmSettings: ["num_retries", "num_retries_per_request", "fallbacks", "default_fallbacks", "context_window_fallbacks", "content_policy_fallbacks", "max_fallbacks"],
    /** litellm_params keys that override retries per deployment. */
    litellmParams: ["num_retries", "max_retries"],
  },
  /** Only keys with this prefix (and JWTs) are hashed; any other key is exported verbatim as hashed_api_key on /metrics. */
  hashedKeyPrefix: { prefix: "sk-", source: "CartoDB/litellm@dd24252a9f:litellm/proxy/_types.py:2196-2210 (_safe_hash_litellm_api_key)" },
  /** `litellm --port` is a click option with an integer default (so an integer type) and envvar PORT. */
  portOption: { flag: "--port", type: "integer", envvar: "PORT", source: "CartoDB/litellm@dd24252a9f:litellm/proxy/proxy_cli.py:316" },
  /** Without it every import of litellm fetches the cost map from GitHub (5 s timeout, then the bundled copy). */
  localCostMap: { env: "LITELLM_LOCAL_MODEL_COST_MAP", value: "True", source: "CartoDB/litellm@dd24252a9f:litellm/litellm_core_utils/get_model_cost_map.py:16-40; litellm/__init__.py:421" },
  /**
   * simple-shuffle picks at random, weighted by the first of these the first healthy deployment sets (others count
   * as 0); nothing counts requests or tokens, so rpm/tpm limit nothing.
   */
  simpleShuffleWeights: { fields: ["weight", "rpm", "tpm"], source: "CartoDB/litellm@dd24252a9f:litellm/router_strategy/simple_shuffle.py:42-59" },
  /** The strategy that enforces rpm per deployment per minute in the Router's (Redis) cache and routes by tpm. */
  rpmEnforcingStrategy: { strategy: "usage-based-routing-v2", source: "CartoDB/litellm@dd24252a9f:litellm/router_strategy/lowest_tpm_rpm_v2.py:143-225, 384-444" },
} as const;

/** kube-prometheus-stack at `VERSIONS.kubePrometheusStackChart`. */
export const KUBE_PROMETHEUS_STACK_FACTS = {
  version: "88.5.3",
} as const;

/** hashicorp/terraform-provider-google at the version @cdktf/provider-google 16.12.1 binds. */
export const GOOGLE_PROVIDER_FACTS = {
  version: "6.50.0",
} as const;

/** The GKE API's own rules, which the provider does not check at plan time. */
export const GKE_FACTS = {
} as const;

/** checkov's Terraform checks that POLICIES.md maps rules to. */
export const CHECKOV_FACTS = {
} as const;

/** cdktf-cli 0.21, the final release. */
export const CDKTF_CLI_FACTS = {
  version: "0.21.0",
} as const;
