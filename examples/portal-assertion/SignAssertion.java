// A host portal signs who its signed-in resident is, for consult-kit (docs/server.md#identity).
// JDK only (java.security, Base64): java SignAssertion.java <portal-private-key.pem> <resident-id> [issuer] [audience]
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.UUID;

public final class SignAssertion {
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  /** A short-lived RS256 JWT: sub = the portal's resident id (letters, digits, "-_.@:" only here), exp 5 minutes after iat. */
  public static String sign(PrivateKey key, String issuer, String audience, String sub) throws Exception {
    if (!sub.matches("[A-Za-z0-9._@:-]{1,120}")) throw new IllegalArgumentException("resident id");
    long now = System.currentTimeMillis() / 1000;
    String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
    String payload = String.format("{\"iss\":\"%s\",\"aud\":\"%s\",\"sub\":\"%s\",\"iat\":%d,\"exp\":%d,\"jti\":\"%s\"}",
        json(issuer), json(audience), sub, now, now + 300, UUID.randomUUID());
    String input = B64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "." + B64URL.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
    Signature rs256 = Signature.getInstance("SHA256withRSA");
    rs256.initSign(key);
    rs256.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + B64URL.encodeToString(rs256.sign());
  }

  private static String json(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /** A PKCS#8 PEM ("BEGIN PRIVATE KEY"), e.g. from `openssl genpkey -algorithm RSA`. */
  public static PrivateKey readKey(Path pem) throws Exception {
    String base64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
  }

  public static void main(String[] args) throws Exception {
    String issuer = args.length > 2 ? args[2] : "https://portal.example.gov.cn";
    String audience = args.length > 3 ? args[3] : "consult-kit";
    System.out.println(sign(readKey(Path.of(args[0])), issuer, audience, args[1]));
  }
}
