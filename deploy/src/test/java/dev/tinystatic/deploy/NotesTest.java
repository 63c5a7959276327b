package dev.tinystatic.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Release;
import dev.tinystatic.api.TinyStaticSite;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code helm install} prints: how to make a first site and where to look. */
class NotesTest {

  @Test
  void notesShowTheFirstSiteAndWhereToLook() {
    String notes = install(false);

    assertThat(notes)
        .contains("kubectl apply -n default -f deploy/examples/hello.yaml")
        .contains("kubectl get tss -n default")
        .contains("kubectl port-forward -n default svc/hello 8080:8080")
        .contains("kubectl describe tss hello -n default")
        .contains("kubectl logs -n " + Chart.NAMESPACE + " deploy/tinystatic")
        .contains("every namespace");
  }

  @Test
  void theSiteToPasteIsValid() throws Exception {
    String notes = install(false);
    int start = notes.indexOf("<<'SITE'\n") + "<<'SITE'\n".length();
    String site = notes.substring(start, notes.indexOf("\nSITE\n", start));

    TinyStaticSite hello =
        new KubernetesSerialization().convertValue(Chart.parse(site).get(0), TinyStaticSite.class);

    assertThat(hello.getMetadata().getName()).isEqualTo("hello");
    assertThat(ExamplesTest.resolve(hello, List.of()).count()).isEqualTo(1);
  }

  @Test
  void notesUseAWatchedNamespaceWhenThereAreSome() {
    String notes = install(true);

    assertThat(notes)
        .contains("in: web, docs")
        .contains("kubectl apply -n web -f deploy/examples/hello.yaml");
  }

  /** A client-only dry run: Helm renders the release, NOTES.txt included, without a cluster. */
  private static String install(boolean namespaced) {
    var install =
        Chart.helm()
            .install()
            .withName(Chart.RELEASE)
            .withNamespace(Chart.NAMESPACE)
            .clientOnly()
            .dryRun();
    if (namespaced) {
      install.set("watchNamespaces[0]", "web").set("watchNamespaces[1]", "docs");
    }
    Release release = install.call();
    return release.getOutput();
  }
}
