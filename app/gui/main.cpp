// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
//
// The desktop app's composition root: paths, settings, store, then the main window, torn down in
// reverse order.
#include <QApplication>
#include <QCommandLineParser>
#include <QMessageBox>
#include <QStyle>

#include "core/logging.h"
#include "core/paths.h"
#include "core/settings.h"
#include "core/store/jobstore.h"
#include "core/version.h"
#include "ui/mainwindow.h"

using namespace brieflow;

namespace {

int showFatal(const QString &title, const QString &text)
{
    qCCritical(lcApp).noquote() << text;
    QMessageBox box(QMessageBox::Critical, title, text, QMessageBox::Close);
    box.exec();
    return 3;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    // Where no desktop theme supplies a style, Qt falls back to "Windows", which looks dated;
    // Fusion follows the palette (light or dark) and reads as current.
    if (QApplication::style()->name().compare(QLatin1String("windows"), Qt::CaseInsensitive) == 0)
        QApplication::setStyle(QStringLiteral("Fusion"));
    QApplication::setApplicationName(QStringLiteral("Brieflow"));
    QApplication::setApplicationDisplayName(QStringLiteral("Brieflow"));
    QApplication::setOrganizationName(QStringLiteral("Brieflow"));
    QApplication::setApplicationVersion(applicationVersion());

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Turn marketing briefs into campaign assets."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption dataDir(
        QStringLiteral("data-dir"),
        QStringLiteral("Keep everything under DIR (also: BRIEFLOW_DATA_DIR)."),
        QStringLiteral("DIR"));
    const QCommandLineOption demo(QStringLiteral("demo"),
                                  QStringLiteral("Use the separate demo data folder."));
    parser.addOptions({dataDir, demo});
    parser.process(app);

    const Paths paths = Paths::resolve({parser.value(dataDir), parser.isSet(demo), true});
    if (const QString failed = paths.ensureExists(); !failed.isEmpty()) {
        return showFatal(QObject::tr("Brieflow can't start"),
                         QObject::tr("Brieflow can't create its folder %1. Check that the disk "
                                     "isn't full and that you may write there, or start it with "
                                     "--data-dir pointing somewhere else.")
                             .arg(failed));
    }

    Settings settings(paths.settingsFile());
    auto store = JobStore::open(paths.databaseFile(), JobStore::Mode::Writer);
    if (!store)
        return showFatal(QObject::tr("Brieflow can't open its job database"),
                         store.error().message);

    ui::MainWindow window(*store.value(), settings, paths);
    window.show();
    return QApplication::exec();
}
