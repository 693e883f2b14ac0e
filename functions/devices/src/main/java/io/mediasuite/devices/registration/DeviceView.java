package io.mediasuite.devices.registration;

/**
 * A device as the API shows it. The push token is left out on purpose: whoever holds it can push to the phone
 * through the provider, so it goes in and never comes back out.
 */
public record DeviceView(String deviceId, String platform, String endpointArn, boolean enabled, String createdAt,
                         String updatedAt, String userId, DeviceRegistration.Location location, String locale,
                         String appVersion) {

    public static DeviceView of(DeviceRecord device) {
        return new DeviceView(device.deviceId(), device.platform().name(), device.endpointArn(), device.enabled(),
                device.createdAt().toString(), device.updatedAt().toString(), device.userId(),
                device.location(),
                device.locale(), device.appVersion());
    }
}
