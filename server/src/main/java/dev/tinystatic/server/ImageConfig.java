package dev.tinystatic.server;

import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.json.JsonTemplate;
import dev.tinystatic.server.ServerBinary.Arch;
import java.util.ArrayList;
import java.util.List;

/**
 * An OCI image config that holds only what a runtime reads to start tinyhttpd: the platform, the
 * entrypoint, a CMD when there is one, the user and the layers' diff ids. Jib's {@code
 * ContainerConfigurationTemplate} always adds an empty {@code history}; {@code ExposedPorts},
 * labels and a creation time are left out on purpose: podman, containerd and the kubelet run the
 * image without them (the pod spec names the port), and every byte here is downloaded by every
 * node. Serialized by Jib's {@code JsonTemplateMapper} (fields in this order, nulls left out).
 */
public final class ImageConfig implements JsonTemplate {

  private final String architecture;
  private final String os = "linux";
  private final Execution config;
  private final RootFs rootfs = new RootFs();

  /** The part a container runtime executes. Field names are the OCI config's. */
  @SuppressWarnings("unused")
  private static final class Execution implements JsonTemplate {
    private final List<String> Entrypoint;
    private final List<String> Cmd; // null: none
    private final String User;

    Execution(List<String> entrypoint, List<String> cmd, String user) {
      this.Entrypoint = List.copyOf(entrypoint);
      this.Cmd = cmd == null || cmd.isEmpty() ? null : List.copyOf(cmd);
      this.User = user;
    }
  }

  @SuppressWarnings("unused")
  private static final class RootFs implements JsonTemplate {
    private final String type = "layers";
    private final List<DescriptorDigest> diff_ids = new ArrayList<>();
  }

  /**
   * @param cmd the default arguments, or empty for none
   * @param user {@code uid:gid}
   */
  public ImageConfig(Arch arch, List<String> entrypoint, List<String> cmd, String user) {
    this.architecture = arch.goArch();
    this.config = new Execution(entrypoint, cmd, user);
  }

  public Arch arch() {
    return Arch.of(architecture);
  }

  int layerCount() {
    return rootfs.diff_ids.size();
  }

  void addLayerDiffId(DescriptorDigest diffId) {
    rootfs.diff_ids.add(diffId);
  }
}
