//! Español (para todo el mundo hispanohablante: sin voseo ni regionalismos).

#![allow(clippy::enum_glob_use, reason = "a catalogue reads best as bare keys")]

use super::Key::{self, *};

pub const TEXTS: &[(Key, &str)] = &[
    (AppName, "Common Ground"),
    (SavedOnPhone, "Guardado en este teléfono"),
    (Saving, "Guardando…"),
    (NotSaved, "Aún sin guardar: no cierres esta página"),
    (Offline, "Sin conexión"),
    (OfflineReady, "Funciona sin conexión"),
    (Back, "Volver"),
    (Save, "Guardar"),
    (Cancel, "Cancelar"),
    (Delete, "Eliminar"),
    (YourGroups, "Tus grupos"),
    (
        NoGroupsYet,
        "Todavía no hay grupos en este teléfono. Crea uno abajo.",
    ),
    (StartGroup, "Crear un grupo"),
    (GroupName, "Nombre del grupo"),
    (CreateGroup, "Crear grupo"),
    (Language, "Idioma"),
    (Gardens, "Huertos"),
    (
        NoGardensYet,
        "Todavía no hay huertos. Agrega el primero abajo.",
    ),
    (AddGarden, "Agregar un huerto"),
    (GardenName, "Nombre del huerto"),
    (PlotsOne, "{count} parcela"),
    (PlotsOther, "{count} parcelas"),
    (Members, "Miembros"),
    (NoMembersYet, "Todavía no hay miembros."),
    (AddMember, "Agregar un miembro"),
    (MemberName, "Nombre de la persona"),
    (Plots, "Parcelas"),
    (
        NoPlotsYet,
        "Todavía no hay parcelas. Agrega la primera abajo.",
    ),
    (AddPlot, "Agregar una parcela"),
    (PlotLabel, "Nombre de la parcela"),
    (PlotSize, "Tamaño"),
    (PlotSizeHint, "Por ejemplo, 3 × 4 m"),
    (Status, "Estado"),
    (StatusAvailable, "Libre"),
    (StatusAssigned, "Asignada"),
    (StatusNeedsAttention, "Necesita atención"),
    (HeldBy, "La cuida {name}"),
    (Holder, "Quién la cuida"),
    (Nobody, "Nadie"),
    (EditPlot, "Editar parcela"),
    (DeletePlot, "Eliminar esta parcela"),
    (
        ConfirmDeletePlot,
        "¿Eliminar la parcela {label}? No se puede deshacer.",
    ),
    (Saved, "Guardado"),
    (GroupNotFound, "Este grupo no está en este teléfono."),
    (PlotNotFound, "Esta parcela ya no existe."),
    (SiteNotFound, "Este huerto ya no existe."),
    (PageNotFound, "Esta página no existe."),
    (ErrNameEmpty, "Escribe un nombre, por favor."),
    (
        ErrNameTooLong,
        "El nombre puede tener como máximo {max} caracteres.",
    ),
    (
        ErrLabelEmpty,
        "Ponle un nombre a la parcela, por ejemplo A3.",
    ),
    (
        ErrLabelTooLong,
        "El nombre de la parcela puede tener como máximo {max} caracteres.",
    ),
    (
        ErrSizeTooLong,
        "El tamaño puede tener como máximo {max} caracteres.",
    ),
    (
        ErrDuplicateLabel,
        "Ya hay una parcela llamada {label} en este huerto.",
    ),
    (ErrNoSuchSite, "Ese huerto ya no existe."),
    (ErrNoSuchPlot, "Esa parcela ya no existe."),
    (ErrNoSuchMember, "Esa persona ya no está en el grupo."),
    (ErrIdTaken, "Algo salió mal. Inténtalo de nuevo."),
    (
        ErrUnreadable,
        "Esta versión de la app no puede leer los datos de este grupo.",
    ),
    (
        ErrNewerSchema,
        "Una versión más nueva de la app cambió este grupo. Vuelve a cargar la app para actualizarla e inténtalo otra vez.",
    ),
    (
        ErrCorruptChunks,
        "Una parte de los datos de este grupo en este teléfono está dañada y se omitió (partes dañadas: {count}). Todo lo demás está aquí.",
    ),
    (
        ErrStorage,
        "El almacenamiento de este teléfono no funciona y los cambios no se pueden guardar: {error}",
    ),
];
