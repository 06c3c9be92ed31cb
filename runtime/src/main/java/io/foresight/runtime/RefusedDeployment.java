package io.foresight.runtime;

import java.io.Serializable;

/**
 * A deployment that one subtask of the job could not load: the subtask keeps the model it had.
 *
 * @param deployment what was announced
 * @param stage which operator and subtask refused it, e.g. {@code encoder subtask 1}
 * @param reason what is wrong and how to fix it
 */
public record RefusedDeployment(Deployment deployment, String stage, String reason)
    implements Serializable {}
