package io.foresight.memory.api;

/**
 * The body of every 4xx/5xx answer.
 *
 * @param status the HTTP status
 * @param error what is wrong, in words
 */
public record ApiError(int status, String error) {}
