package io.foresight.broker;

import io.foresight.schemas.KafkaLimits;
import io.foresight.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates Foresight's topics ({@link Topics#ALL}) on any Kafka cluster, with size limits that match
 * the clients' ({@link KafkaLimits}). Idempotent: existing topics are left as they are.
 *
 * <pre>{@code
 * List<String> created = TopicAdmin.createTopics("kafka:9092", 6);
 * }</pre>
 */
public final class TopicAdmin {
  private TopicAdmin() {}

  /**
   * Creates the missing topics with {@code partitions} partitions and a replication factor of
   * min(3, number of brokers).
   *
   * @return the topics created now (empty when all existed)
   */
  public static List<String> createTopics(String bootstrapServers, int partitions) {
    return createTopics(bootstrapServers, partitions, (short) -1);
  }

  /**
   * Creates the missing topics; a replication factor of -1 means min(3, number of brokers), and the
   * topics' {@code min.insync.replicas} is 2 when the replication factor is 3 or more.
   *
   * @throws BrokerException if the cluster cannot be reached or refuses a topic
   */
  public static List<String> createTopics(
      String bootstrapServers, int partitions, short replicationFactor) {
    return createTopics(bootstrapServers, partitions, replicationFactor, -1);
  }

  /**
   * Creates the missing topics with a replication factor (-1 = min(3, number of brokers)) and a
   * {@code min.insync.replicas} (-1 = 2 when the replication factor is 3 or more, else 1): with
   * {@code acks=all} a write then survives the loss of any one broker.
   *
   * @throws BrokerException if the cluster cannot be reached or refuses a topic
   */
  public static List<String> createTopics(
      String bootstrapServers, int partitions, short replicationFactor, int minInsyncReplicas) {
    if (partitions < 1) {
      throw new BrokerException("partitions must be at least 1, got " + partitions);
    }
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    try (Admin admin = Admin.create(p)) {
      short rf = replicationFactor;
      if (rf < 1) {
        int brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
        rf = (short) Math.max(1, Math.min(3, brokers));
      }
      int minIsr = minInsyncReplicas > 0 ? minInsyncReplicas : (rf >= 3 ? 2 : 1);
      if (minIsr > rf) {
        throw new BrokerException(
            "min.insync.replicas "
                + minIsr
                + " is more than the replication factor "
                + rf
                + ": no write could ever succeed; use at most "
                + rf);
      }
      Map<String, String> extra = Map.of("min.insync.replicas", Integer.toString(minIsr));
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> wanted = new ArrayList<>();
      for (String name : Topics.ALL) {
        if (!existing.contains(name)) {
          Map<String, String> configs = new java.util.HashMap<>(topicConfig(name));
          configs.putAll(extra);
          wanted.add(new NewTopic(name, Topics.partitions(name, partitions), rf).configs(configs));
        }
      }
      List<String> created = new ArrayList<>();
      for (Map.Entry<String, org.apache.kafka.common.KafkaFuture<Void>> e :
          admin.createTopics(wanted).values().entrySet()) {
        try {
          e.getValue().get(30, TimeUnit.SECONDS);
          created.add(e.getKey());
        } catch (ExecutionException ex) {
          if (!(ex.getCause() instanceof TopicExistsException)) {
            throw new BrokerException(
                "Error creating topic "
                    + e.getKey()
                    + " on "
                    + bootstrapServers
                    + ": "
                    + ex.getCause().getMessage(),
                ex.getCause());
          }
        }
      }
      return created;
    } catch (ExecutionException | TimeoutException e) {
      throw new BrokerException(
          "cannot reach Kafka at "
              + bootstrapServers
              + " to create topics: "
              + e.getMessage()
              + ". Check the bootstrap address and that the cluster is up.",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BrokerException("interrupted while creating topics", e);
    }
  }

  /** The settings each topic is created with. */
  public static Map<String, String> topicConfig(String topic) {
    return KafkaLimits.topic();
  }
}
