// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <memory>

#include <QSettings>
#include <QString>
#include <QStringList>
#include <QVariant>

#include "core/monitoring/pricetable.h"

namespace brieflow {

/** A settings key with its type and default, declared once in Settings below. */
template<typename T>
struct Setting {
    const char *key;
    T defaultValue;
};

/**
 * Typed application settings stored in an INI file in the config folder (Paths::settingsFile()).
 * Every key and default is declared here, once. The API token is deliberately not a setting: it
 * lives in the OS keychain or REPLICATE_API_TOKEN and must never reach this file.
 */
class Settings {
public:
    // Provider
    static inline const Setting<QString> ApiBaseUrl{"provider/baseUrl",
                                                    QStringLiteral("https://api.replicate.com")};
    // Models per step of the default workflow
    static inline const Setting<QString> ConceptModel{
        "models/concept", QStringLiteral("meta/meta-llama-3-8b-instruct")};
    static inline const Setting<QString> ImagePromptModel{
        "models/imagePrompt", QStringLiteral("meta/meta-llama-3-8b-instruct")};
    static inline const Setting<QString> ImageModel{
        "models/image", QStringLiteral("black-forest-labs/flux-schnell")};
    // Engine
    static inline const Setting<int> MaxConcurrentJobs{"engine/maxConcurrentJobs", 4};
    static inline const Setting<int> MaxPredictionsInFlight{"engine/maxPredictionsInFlight", 8};
    static inline const Setting<int> PollBudgetPerSecond{"network/pollBudgetPerSecond", 40};
    // Webhooks (advanced): a receiver for Replicate's webhooks; polling stays on regardless.
    // Reaching it from Replicate needs a tunnel or a server: the public URL is what they call.
    static inline const Setting<bool> WebhooksEnabled{"webhooks/enabled", false};
    static inline const Setting<QString> WebhooksListenAddress{"webhooks/listenAddress",
                                                               QStringLiteral("127.0.0.1")};
    static inline const Setting<int> WebhooksPort{"webhooks/port", 8787};
    static inline const Setting<QString> WebhooksPublicUrl{"webhooks/publicUrl", {}};
    // Cost: the per-model price table (PriceTable::toJson(); empty: the defaults) and an
    // optional daily budget in US dollars (0: none) that pauses the queue when reached.
    static inline const Setting<QByteArray> ModelPrices{"cost/modelPrices", {}};
    static inline const Setting<double> DailyBudgetUsd{"cost/dailyBudgetUsd", 0.0};
    // Data: another data folder chosen in Settings (empty: the standard one); read at start-up
    static inline const Setting<QString> DataFolder{"data/folder", {}};
    // Interface
    static inline const Setting<QByteArray> MainWindowGeometry{"ui/mainWindowGeometry", {}};
    static inline const Setting<QByteArray> MainWindowState{"ui/mainWindowState", {}};
    static inline const Setting<QByteArray> CreateSplitterState{"ui/createSplitter", {}};
    /// What the user chose on the first run without a token: "demo", "token" or empty (not asked)
    static inline const Setting<QString> FirstRunChoice{"ui/firstRunChoice", {}};

    /** Opens (or will create) the INI file at @p iniPath. */
    explicit Settings(const QString &iniPath);

    template<typename T>
    T value(const Setting<T> &setting) const
    {
        QVariant v = m_settings->value(QLatin1String(setting.key));
        // convert() checks the value, not only the type: "lots" is no int.
        if (!v.isValid() || !v.convert(QMetaType::fromType<T>()))
            return setting.defaultValue;
        return v.value<T>();
    }

    template<typename T>
    void setValue(const Setting<T> &setting, const T &value)
    {
        m_settings->setValue(QLatin1String(setting.key), QVariant::fromValue(value));
    }

    template<typename T>
    void reset(const Setting<T> &setting)
    {
        m_settings->remove(QLatin1String(setting.key));
    }

    /** Writes pending changes; returns false when the file could not be written. */
    bool sync();
    QString fileName() const { return m_settings->fileName(); }

private:
    std::unique_ptr<QSettings> m_settings;
};

/**
 * The price table of @p settings (Settings::ModelPrices): the defaults when none is set, and
 * also when the one set can't be read — then @p problem (if given) says why, in plain words.
 */
PriceTable modelPrices(const Settings &settings, QString *problem = nullptr);

/** Settings::DailyBudgetUsd, 0 (no budget) for anything that is not a positive amount. */
double dailyBudgetUsd(const Settings &settings);

} // namespace brieflow
