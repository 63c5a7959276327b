package dev.tinystatic.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class RegistryCredentialsTest {

  @Test
  void readsUsernameAndPasswordOrTheAuthField() {
    String json =
        """
        {"auths": {
          "https://registry.example:5000/v1/": {"username": "pusher", "password": "s3cret"},
          "other.example": {"auth": "%s"}}}
        """
            .formatted(Base64.getEncoder().encodeToString("robot:to:ken".getBytes()));
    var first = RegistryCredentials.forRegistry(json, "registry.example:5000");
    assertThat(first.getUsername()).isEqualTo("pusher");
    assertThat(first.getPassword()).isEqualTo("s3cret");
    var second = RegistryCredentials.forRegistry(json, "other.example");
    assertThat(second.getUsername()).isEqualTo("robot");
    assertThat(second.getPassword()).isEqualTo("to:ken");
  }

  @Test
  void saysWhatIsMissing() {
    assertThatThrownBy(() -> RegistryCredentials.forRegistry("{\"auths\":{}}", "r.example"))
        .hasMessageContaining("no credentials for r.example");
    assertThatThrownBy(() -> RegistryCredentials.forRegistry("nope", "r.example"))
        .hasMessageContaining("is not JSON");
  }
}
