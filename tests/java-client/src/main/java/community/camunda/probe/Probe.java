// Copyright (c) community.camunda contributors
// GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
package community.camunda.probe;

import io.camunda.client.CamundaClient;
import io.camunda.client.CredentialsProvider;
import io.camunda.client.api.command.ClientHttpException;
import io.camunda.client.api.command.ProblemException;
import io.camunda.client.api.response.ActivatedJob;
import io.camunda.client.api.search.enums.OwnerType;
import io.camunda.client.api.search.enums.PermissionType;
import io.camunda.client.api.search.enums.ResourceType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Calls every endpoint the emulator serves that the official Java client has an API for, through that API, and
 * prints one JSON verdict per call on stdout: {"call": ..., "verdict": "read" | "refused" | "failed", "detail": ...}.
 * "read" means the client parsed the answer; "refused" that it read a problem answer the call expects (its status
 * is in the detail); "failed" anything else (the client could not read the answer, or an unexpected refusal).
 *
 * <p>Arguments: the REST address (the client adds /v2), then "basic USER PASSWORD" or "oauth TOKEN_URL CLIENT_ID SECRET AUDIENCE
 * TRUSTSTORE TRUSTSTORE_PASSWORD", then the folder of the resources to deploy (probe.bpmn, probe.dmn, probe.form).
 */
public final class Probe {
  // The verify role's probe process: a service task of this job type, then a message correlated by smokeRunId.
  private static final String JOB_TYPE = "community.camunda.verify.smoke";
  private static final String MESSAGE = "community.camunda.verify.smoke";

  @FunctionalInterface
  interface Call {
    Object run() throws Exception;
  }

  private final CamundaClient client;
  private final List<String> verdicts = new ArrayList<>();

  private Probe(final CamundaClient client) {
    this.client = client;
  }

  public static void main(final String[] args) throws Exception {
    final var builder =
        CamundaClient.newClientBuilder()
            .restAddress(URI.create(args[0]))
            .preferRestOverGrpc(true)
            .defaultRequestTimeout(Duration.ofSeconds(20));
    final int next;
    if ("basic".equals(args[1])) {
      builder.credentialsProvider(
          CredentialsProvider.newBasicAuthCredentialsProviderBuilder()
              .username(args[2])
              .password(args[3])
              .build());
      next = 4;
    } else {
      builder.credentialsProvider(
          CredentialsProvider.newCredentialsProviderBuilder()
              .authorizationServerUrl(args[2])
              .clientId(args[3])
              .clientSecret(args[4])
              .audience(args[5])
              .truststorePath(Path.of(args[6]))
              .truststorePassword(args[7])
              .credentialsCachePath(credentialsCache().toString())
              .applyEnvironmentOverrides(false)
              .build());
      next = 8;
    }
    final Path resources = Path.of(args[next]);
    try (CamundaClient client = builder.build()) {
      final Probe probe = new Probe(client);
      probe.everyEndpoint(resources);
      probe.verdicts.forEach(System.out::println);
    }
  }

  /** A token cache of this run only, never the user's ~/.camunda one, gone when the probe ends. */
  private static Path credentialsCache() throws java.io.IOException {
    final Path cache = Files.createTempFile("probe-credentials", ".json");
    cache.toFile().deleteOnExit();
    return cache;
  }

  private <T> T call(final String name, final Call call) {
    try {
      final Object answer = call.run();
      verdicts.add(verdict(name, "read", answer == null ? "" : answer.getClass().getSimpleName()));
      @SuppressWarnings("unchecked")
      final T typed = (T) answer;
      return typed;
    } catch (final Exception error) {
      verdicts.add(verdict(name, "failed", describe(error)));
      return null;
    }
  }

  /** A call whose expected answer is a refusal with this status, which the client must read as a problem. */
  private void refused(final String name, final int status, final Call call) {
    try {
      call.run();
      verdicts.add(verdict(name, "failed", "answered, where a " + status + " refusal was expected"));
    } catch (final ProblemException problem) {
      final boolean expected = problem.code() == status && problem.details() != null;
      verdicts.add(verdict(name, expected ? "refused" : "failed", describe(problem)));
    } catch (final Exception error) {
      verdicts.add(verdict(name, "failed", describe(error)));
    }
  }

  private static String describe(final Throwable error) {
    Throwable cause = error;
    while (cause.getCause() != null && !(cause instanceof ClientHttpException)) {
      cause = cause.getCause();
    }
    if (cause instanceof ProblemException problem && problem.details() != null) {
      return problem.code() + " " + problem.details().getTitle() + ": " + problem.details().getDetail();
    }
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }

  private static String verdict(final String name, final String verdict, final String detail) {
    return "{\"call\": " + quoted(name) + ", \"verdict\": " + quoted(verdict) + ", \"detail\": " + quoted(detail) + "}";
  }

  private static String quoted(final String text) {
    final StringBuilder out = new StringBuilder("\"");
    for (final char c : String.valueOf(text).toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  private void everyEndpoint(final Path resources) throws Exception {
    call("topology", () -> client.newTopologyRequest().send().join());
    call("status", () -> client.newStatusRequest().send().join());
    deploymentsAndProcesses(resources);
    clusterVariables();
    identity();
  }

  private void deploymentsAndProcesses(final Path resources) throws Exception {
    final var deployment =
        call(
            "deploy resources",
            () ->
                client
                    .newDeployResourceCommand()
                    .addResourceBytes(Files.readAllBytes(resources.resolve("probe.bpmn")), "probe.bpmn")
                    .addResourceBytes(Files.readAllBytes(resources.resolve("probe.dmn")), "probe.dmn")
                    .addResourceBytes(Files.readAllBytes(resources.resolve("probe.form")), "probe.form")
                    .send()
                    .join());
    if (deployment == null) {
      return;
    }
    final var deployed = (io.camunda.client.api.response.DeploymentEvent) deployment;
    final long processKey = deployed.getProcesses().get(0).getProcessDefinitionKey();
    final long decisionKey = deployed.getDecisions().get(0).getDecisionKey();
    final long drgKey = deployed.getDecisionRequirements().get(0).getDecisionRequirementsKey();

    call("search process definitions", () -> client.newProcessDefinitionSearchRequest().send().join());
    call("get process definition", () -> client.newProcessDefinitionGetRequest(processKey).send().join());
    call("get process definition XML", () -> client.newProcessDefinitionGetXmlRequest(processKey).send().join());
    call("search decision definitions", () -> client.newDecisionDefinitionSearchRequest().send().join());
    call("get decision definition", () -> client.newDecisionDefinitionGetRequest(decisionKey).send().join());
    call("get decision definition XML", () -> client.newDecisionDefinitionGetXmlRequest(decisionKey).send().join());
    call("search decision requirements", () -> client.newDecisionRequirementsSearchRequest().send().join());
    call("get decision requirements", () -> client.newDecisionRequirementsGetRequest(drgKey).send().join());
    call("get decision requirements XML", () -> client.newDecisionRequirementsGetXmlRequest(drgKey).send().join());
    // A process is not a resource of the engine's resource state (that holds RPA and other files): NOT_FOUND.
    refused("get resource", 404, () -> client.newResourceGetRequest(processKey).send().join());
    refused("get resource content", 404, () -> client.newResourceContentGetRequest(processKey).send().join());

    final var created =
        (io.camunda.client.api.response.ProcessInstanceEvent)
            call(
                "create process instance",
                () ->
                    client
                        .newCreateInstanceCommand()
                        .processDefinitionKey(processKey)
                        .variables(Map.of("smokeRunId", "java"))
                        .send()
                        .join());
    final var jobs =
        (io.camunda.client.api.response.ActivateJobsResponse)
            call(
                "activate jobs",
                () ->
                    client
                        .newActivateJobsCommand()
                        .jobType(JOB_TYPE)
                        .maxJobsToActivate(5)
                        .timeout(Duration.ofMinutes(1))
                        .workerName("java-probe")
                        .requestTimeout(Duration.ofSeconds(5))
                        .send()
                        .join());
    if (jobs != null && !jobs.getJobs().isEmpty()) {
      final ActivatedJob job = jobs.getJobs().get(0);
      call("complete job", () -> client.newCompleteCommand(job.getKey()).variables(Map.of("worked", true)).send().join());
    } else {
      verdicts.add(verdict("complete job", "failed", "no job was activated"));
    }
    call(
        "publish message",
        () ->
            client
                .newPublishMessageCommand()
                .messageName(MESSAGE)
                .correlationKey("java")
                .timeToLive(Duration.ofMinutes(1))
                .send()
                .join());
    if (created != null) {
      final long instanceKey = created.getProcessInstanceKey();
      call("get process instance", () -> client.newProcessInstanceGetRequest(instanceKey).send().join());
      call(
          "search process instances",
          () ->
              client
                  .newProcessInstanceSearchRequest()
                  .filter(filter -> filter.processDefinitionKey(processKey))
                  .send()
                  .join());
      call(
          "search element instances",
          () ->
              client
                  .newElementInstanceSearchRequest()
                  .filter(filter -> filter.processInstanceKey(instanceKey))
                  .send()
                  .join());
    }
    final var waiting =
        (io.camunda.client.api.response.ProcessInstanceEvent)
            call(
                "create process instance to cancel",
                () -> client.newCreateInstanceCommand().processDefinitionKey(processKey).send().join());
    if (waiting != null) {
      call("cancel process instance", () -> client.newCancelInstanceCommand(waiting.getProcessInstanceKey()).send().join());
    }
    call("delete resource", () -> client.newDeleteResourceCommand(drgKey).send().join());
  }

  private void clusterVariables() {
    call("create global cluster variable", () -> client.newGloballyScopedClusterVariableCreateRequest().create("PROBE", Map.of("url", "https://p")).send().join());
    call("get global cluster variable", () -> client.newGloballyScopedClusterVariableGetRequest().withName("PROBE").send().join());
    call("update global cluster variable", () -> client.newGloballyScopedClusterVariableUpdateRequest().update("PROBE", Map.of("url", "https://q")).send().join());
    call("search cluster variables", () -> client.newClusterVariableSearchRequest().send().join());
    call("delete global cluster variable", () -> client.newGloballyScopedClusterVariableDeleteRequest().delete("PROBE").send().join());
    call("create tenant for variables", () -> client.newCreateTenantCommand().tenantId("probe-vars").name("Probe vars").send().join());
    call("create tenant cluster variable", () -> client.newTenantScopedClusterVariableCreateRequest("probe-vars").create("PROBE", Map.of("url", "https://t")).send().join());
    call("get tenant cluster variable", () -> client.newTenantScopedClusterVariableGetRequest("probe-vars").withName("PROBE").send().join());
    call("update tenant cluster variable", () -> client.newTenantScopedClusterVariableUpdateRequest("probe-vars").update("PROBE", Map.of("url", "https://u")).send().join());
    call("delete tenant cluster variable", () -> client.newTenantScopedClusterVariableDeleteRequest("probe-vars").delete("PROBE").send().join());
  }

  private void identity() {
    call("create user", () -> client.newCreateUserCommand().username("probe-user").password("pw-1").name("Probe").email("p@x.io").send().join());
    call("get user", () -> client.newUserGetRequest("probe-user").send().join());
    call("update user", () -> client.newUpdateUserCommand("probe-user").name("Probe 2").email("p2@x.io").send().join());
    call("search users", () -> client.newUsersSearchRequest().send().join());
    call("create role", () -> client.newCreateRoleCommand().roleId("probe-role").name("Probe role").send().join());
    call("get role", () -> client.newRoleGetRequest("probe-role").send().join());
    call("update role", () -> client.newUpdateRoleCommand("probe-role").name("Probe role 2").description("Updated by the probe").send().join());
    call("search roles", () -> client.newRolesSearchRequest().send().join());
    call("create group", () -> client.newCreateGroupCommand().groupId("probe-group").name("Probe group").send().join());
    call("get group", () -> client.newGroupGetRequest("probe-group").send().join());
    call("update group", () -> client.newUpdateGroupCommand("probe-group").name("Probe group 2").description("Updated by the probe").send().join());
    call("search groups", () -> client.newGroupsSearchRequest().send().join());
    call("create tenant", () -> client.newCreateTenantCommand().tenantId("probe-tenant").name("Probe tenant").send().join());
    call("get tenant", () -> client.newTenantGetRequest("probe-tenant").send().join());
    call("update tenant", () -> client.newUpdateTenantCommand("probe-tenant").name("Probe tenant 2").send().join());
    call("search tenants", () -> client.newTenantsSearchRequest().send().join());
    call("create mapping rule", () -> client.newCreateMappingRuleCommand().mappingRuleId("probe-rule").claimName("sub").claimValue("probe").name("Probe rule").send().join());
    call("get mapping rule", () -> client.newMappingRuleGetRequest("probe-rule").send().join());
    call("update mapping rule", () -> client.newUpdateMappingRuleCommand("probe-rule").name("Probe rule 2").claimName("sub").claimValue("probe2").send().join());
    call("search mapping rules", () -> client.newMappingRulesSearchRequest().send().join());

    memberships();

    final var authorization =
        (io.camunda.client.api.response.CreateAuthorizationResponse)
            call(
                "create authorization",
                () ->
                    client
                        .newCreateAuthorizationCommand()
                        .ownerId("probe-user")
                        .ownerType(OwnerType.USER)
                        .resourceId("*")
                        .resourceType(ResourceType.PROCESS_DEFINITION)
                        .permissionTypes(PermissionType.READ_PROCESS_DEFINITION)
                        .send()
                        .join());
    if (authorization != null) {
      final long key = authorization.getAuthorizationKey();
      call("get authorization", () -> client.newAuthorizationGetRequest(key).send().join());
      call(
          "update authorization",
          () ->
              client
                  .newUpdateAuthorizationCommand(key)
                  .ownerId("probe-user")
                  .ownerType(OwnerType.USER)
                  .resourceId("*")
                  .resourceType(ResourceType.PROCESS_DEFINITION)
                  .permissionTypes(PermissionType.READ_PROCESS_DEFINITION, PermissionType.READ_PROCESS_INSTANCE)
                  .send()
                  .join());
      call("search authorizations", () -> client.newAuthorizationSearchRequest().send().join());
      call("delete authorization", () -> client.newDeleteAuthorizationCommand(key).send().join());
    }

    call("delete mapping rule", () -> client.newDeleteMappingRuleCommand("probe-rule").send().join());
    call("delete tenant", () -> client.newDeleteTenantCommand("probe-tenant").send().join());
    call("delete group", () -> client.newDeleteGroupCommand("probe-group").send().join());
    call("delete role", () -> client.newDeleteRoleCommand("probe-role").send().join());
    call("delete user", () -> client.newDeleteUserCommand("probe-user").send().join());
  }

  private void memberships() {
    final String role = "probe-role", group = "probe-group", tenant = "probe-tenant";
    final String user = "probe-user", clientId = "probe-client", rule = "probe-rule";
    call("assign role to user", () -> client.newAssignRoleToUserCommand().roleId(role).username(user).send().join());
    call("assign role to client", () -> client.newAssignRoleToClientCommand().roleId(role).clientId(clientId).send().join());
    call("assign role to group", () -> client.newAssignRoleToGroupCommand().roleId(role).groupId(group).send().join());
    call("assign role to mapping rule", () -> client.newAssignRoleToMappingRuleCommand().roleId(role).mappingRuleId(rule).send().join());
    call("assign user to group", () -> client.newAssignUserToGroupCommand().username(user).groupId(group).send().join());
    call("assign client to group", () -> client.newAssignClientToGroupCommand().clientId(clientId).groupId(group).send().join());
    call("assign mapping rule to group", () -> client.newAssignMappingRuleToGroupCommand().mappingRuleId(rule).groupId(group).send().join());
    call("assign user to tenant", () -> client.newAssignUserToTenantCommand().username(user).tenantId(tenant).send().join());
    call("assign client to tenant", () -> client.newAssignClientToTenantCommand().clientId(clientId).tenantId(tenant).send().join());
    call("assign group to tenant", () -> client.newAssignGroupToTenantCommand().groupId(group).tenantId(tenant).send().join());
    call("assign role to tenant", () -> client.newAssignRoleToTenantCommand().roleId(role).tenantId(tenant).send().join());
    call("assign mapping rule to tenant", () -> client.newAssignMappingRuleToTenantCommand().mappingRuleId(rule).tenantId(tenant).send().join());

    call("search users of role", () -> client.newUsersByRoleSearchRequest(role).send().join());
    call("search clients of role", () -> client.newClientsByRoleSearchRequest(role).send().join());
    call("search groups of role", () -> client.newGroupsByRoleSearchRequest(role).send().join());
    call("search mapping rules of role", () -> client.newMappingRulesByRoleSearchRequest(role).send().join());
    call("search users of group", () -> client.newUsersByGroupSearchRequest(group).send().join());
    call("search clients of group", () -> client.newClientsByGroupSearchRequest(group).send().join());
    call("search mapping rules of group", () -> client.newMappingRulesByGroupSearchRequest(group).send().join());
    call("search roles of group", () -> client.newRolesByGroupSearchRequest(group).send().join());
    call("search users of tenant", () -> client.newUsersByTenantSearchRequest(tenant).send().join());
    call("search clients of tenant", () -> client.newClientsByTenantSearchRequest(tenant).send().join());
    call("search groups of tenant", () -> client.newGroupsByTenantSearchRequest(tenant).send().join());
    call("search roles of tenant", () -> client.newRolesByTenantSearchRequest(tenant).send().join());
    call("search mapping rules of tenant", () -> client.newMappingRulesByTenantSearchRequest(tenant).send().join());

    call("unassign role from user", () -> client.newUnassignRoleFromUserCommand().roleId(role).username(user).send().join());
    call("unassign role from client", () -> client.newUnassignRoleFromClientCommand().roleId(role).clientId(clientId).send().join());
    call("unassign role from group", () -> client.newUnassignRoleFromGroupCommand().roleId(role).groupId(group).send().join());
    call("unassign role from mapping rule", () -> client.newUnassignRoleFromMappingRuleCommand().roleId(role).mappingRuleId(rule).send().join());
    call("unassign user from group", () -> client.newUnassignUserFromGroupCommand().username(user).groupId(group).send().join());
    call("unassign client from group", () -> client.newUnassignClientFromGroupCommand().clientId(clientId).groupId(group).send().join());
    call("unassign mapping rule from group", () -> client.newUnassignMappingRuleFromGroupCommand().mappingRuleId(rule).groupId(group).send().join());
    call("unassign user from tenant", () -> client.newUnassignUserFromTenantCommand().username(user).tenantId(tenant).send().join());
    call("unassign client from tenant", () -> client.newUnassignClientFromTenantCommand().clientId(clientId).tenantId(tenant).send().join());
    call("unassign group from tenant", () -> client.newUnassignGroupFromTenantCommand().groupId(group).tenantId(tenant).send().join());
    call("unassign role from tenant", () -> client.newUnassignRoleFromTenantCommand().roleId(role).tenantId(tenant).send().join());
    call("unassign mapping rule from tenant", () -> client.newUnassignMappingRuleFromTenantCommand().mappingRuleId(rule).tenantId(tenant).send().join());
  }
}
