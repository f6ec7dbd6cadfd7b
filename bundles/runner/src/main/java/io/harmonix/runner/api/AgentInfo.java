package io.harmonix.runner.api;

/**
 * An agent service present in the framework.
 *
 * @param agentId its {@code harmonix.agent.id}
 * @param agentType its {@code harmonix.agent.type}, "" when none
 * @param bundleId the bundle that registered it
 * @param bundleSymbolicName that bundle's symbolic name
 */
public record AgentInfo(String agentId, String agentType, long bundleId, String bundleSymbolicName) {
}
