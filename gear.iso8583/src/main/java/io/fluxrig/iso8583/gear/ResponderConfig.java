package io.fluxrig.iso8583.gear;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** Configuration of one {@code iso8583.responder} gear instance (factory PID {@code fluxrig.gear.iso8583.responder}). */
@ObjectClassDefinition(
        name = "fluxrig gear: iso8583.responder",
        description = "Issuer simulator: answers decoded 0100/0200/0400/0800 requests with 0110/0210/0410/0810, echoing fields and setting 38/39 from rules.")
public @interface ResponderConfig {

    /** @return the dialect whose aliases are added to responses */
    @AttributeDefinition(name = "Dialect", description = "Built-in dialect whose field aliases are set on responses (the fields are read by number).",
            options = {@Option(value = "iso87ascii"), @Option(value = "iso87binary"), @Option(value = "iso93ascii")})
    String dialect() default "iso87ascii";

    /** @return the echoed fields */
    @AttributeDefinition(name = "Echoed fields", description = "Request fields copied into the response when present.")
    int[] echo_fields() default {2, 3, 4, 7, 11, 12, 13, 14, 18, 22, 25, 32, 37, 41, 42, 49, 70, 90};

    /** @return the amount limit in minor units */
    @AttributeDefinition(name = "Decline amount over", description = "Field 4 above this many minor units is declined with 51 (insufficient funds). 0 = no limit.",
            min = "0")
    long decline_amount_over() default 100000;

    /** @return blocked PANs */
    @AttributeDefinition(name = "Blocked PANs", description = "Field 2 values declined with 05 (do not honour).")
    String[] block_pans() default {};

    /** @return the approval code */
    @AttributeDefinition(name = "Approve code", description = "Field 39 when no rule declines.")
    String approve_code() default "00";
}
