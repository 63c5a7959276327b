package dev.tinystatic.dependent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppliedFieldsStoreTest {

  private final AppliedFieldsStore<Service> store = new AppliedFieldsStore<>();

  @Test
  void keepsOnlyTheServerSideApplyEntries() {
    Service service =
        service(
            entry("kubectl-create", "Update", null),
            entry("tinystaticsite", "Apply", null),
            entry("kube-controller-manager", "Update", "status"));

    store.put(store.getKey(service), service);

    assertThat(store.get("web/site").getMetadata().getManagedFields())
        .extracting(ManagedFieldsEntry::getManager, ManagedFieldsEntry::getOperation)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("tinystaticsite", "Apply"));
    assertThat(store.get("web/site").getMetadata().getManagedFields().get(0).getFieldsV1())
        .as("the entry itself is kept whole")
        .isEqualTo(fields());
  }

  @Test
  void objectsWithoutOtherEntriesAreStoredAsTheyCame() {
    Service applied = service(entry("tinystaticsite", "Apply", null));
    Service bare = service();
    bare.getMetadata().setName("bare");

    store.put(store.getKey(applied), applied);
    store.put(store.getKey(bare), bare);

    assertThat(store.get("web/site").getMetadata().getManagedFields()).hasSize(1);
    assertThat(store.get("web/bare").getMetadata().getManagedFields()).isEmpty();
    assertThat(store.size()).isEqualTo(2);
  }

  @Test
  void aStoredObjectsEntriesCanStillBeChanged() {
    Service service = service(entry("x", "Update", null), entry("tinystaticsite", "Apply", null));
    store.put(store.getKey(service), service);

    store.get("web/site").getMetadata().getManagedFields().clear();

    assertThat(store.get("web/site").getMetadata().getManagedFields()).isEmpty();
  }

  private static Service service(ManagedFieldsEntry... entries) {
    return new ServiceBuilder()
        .withNewMetadata()
        .withNamespace("web")
        .withName("site")
        .withManagedFields(entries)
        .endMetadata()
        .build();
  }

  private static ManagedFieldsEntry entry(String manager, String operation, String subresource) {
    return new ManagedFieldsEntryBuilder()
        .withManager(manager)
        .withOperation(operation)
        .withSubresource(subresource)
        .withFieldsType("FieldsV1")
        .withFieldsV1(fields())
        .build();
  }

  private static FieldsV1 fields() {
    var fields = new FieldsV1();
    fields.setAdditionalProperty("f:spec", Map.of("f:selector", Map.of()));
    return fields;
  }
}
