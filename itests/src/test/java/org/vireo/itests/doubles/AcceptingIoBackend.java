package org.vireo.itests.doubles;

import java.util.List;
import org.vireo.api.io.BackendOffer;
import org.vireo.api.io.DeviceKind;
import org.vireo.api.io.FrontendInfo;
import org.vireo.api.io.HandshakeState;
import org.vireo.api.io.IoBackend;
import org.vireo.api.io.IoRequest;
import org.vireo.api.io.IoResponse;

/** A backend that accepts every frontend and answers every request at once. */
public final class AcceptingIoBackend implements IoBackend {
    private final DeviceKind kind;

    /** @param kind the device kind it serves */
    public AcceptingIoBackend(DeviceKind kind) {
        this.kind = kind;
    }

    @Override
    public DeviceKind kind() {
        return kind;
    }

    @Override
    public BackendOffer connect(FrontendInfo frontend) {
        return new BackendOffer(HandshakeState.CONNECTED, frontend.features(), frontend.ringSlots(), "");
    }

    @Override
    public List<IoResponse> service(FrontendInfo frontend, List<IoRequest> requests) {
        return requests.stream().map(r -> new IoResponse(r.id(), true, 10)).toList();
    }
}
