package io.foresight.memory.api;

/**
 * A model whose latents the memory holds.
 *
 * @param model the model
 * @param dim values per latent
 * @param count live latents stored
 * @param pending latents waiting for the HNSW builder (searched exactly meanwhile)
 */
public record ModelInfo(ModelId model, int dim, long count, long pending) {}
