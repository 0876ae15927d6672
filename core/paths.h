// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QString>

namespace brieflow {

/**
 * Where Brieflow keeps its files. The one place that maps locations to QStandardPaths (app name
 * "Brieflow"); everything else asks a Paths value. An explicit data folder (`--data-dir`, or the
 * BRIEFLOW_DATA_DIR environment variable) puts every location under that folder, which keeps
 * tests and portable installs self-contained. Demo mode lives in its own "demo" folder so it never
 * mixes with real work; debug builds add a "-debug" suffix so development never touches a user's
 * job database.
 */
class Paths {
public:
    enum class Location { Config, Data, Cache, Logs };

    struct Options {
        QString dataDirOverride; ///< from --data-dir; wins over the environment
        bool demo = false;
        bool useEnvironment = true; ///< read BRIEFLOW_DATA_DIR when no override is given
    };

    /** Resolves the locations; creates no folders. */
    static Paths resolve(const Options &options);
    static Paths resolve() { return resolve(Options{}); }

    QString location(Location where) const;
    QString configDir() const { return location(Location::Config); }
    QString dataDir() const { return location(Location::Data); }
    QString cacheDir() const { return location(Location::Cache); }
    QString logDir() const { return location(Location::Logs); }

    /** The job database: one SQLite file in the data folder. */
    QString databaseFile() const;
    /** The settings file (INI) in the config folder. */
    QString settingsFile() const;
    /** Where downloaded outputs are stored, content-addressed. */
    QString outputsDir() const;

    bool isDemo() const { return m_demo; }
    /** True when the locations came from --data-dir or BRIEFLOW_DATA_DIR. */
    bool isOverridden() const { return m_overridden; }

    /** Creates every folder; returns the first one that could not be created, or empty. */
    QString ensureExists() const;

    static constexpr const char *dataDirEnvironmentVariable = "BRIEFLOW_DATA_DIR";

private:
    QString m_config;
    QString m_data;
    QString m_cache;
    QString m_logs;
    bool m_demo = false;
    bool m_overridden = false;
};

} // namespace brieflow
